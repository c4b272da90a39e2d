package io.github.genij.pixelcnn;

import java.util.Deque;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ModuleList;

/**
 * One resolution of PixelCNN++: {@code nr_resnet} gated blocks on each of the two streams, the vertical one
 * ({@code u_stream}, pixels above) and the horizontal one ({@code ul_stream}, above and to the left, which also
 * reads the vertical one). The up pass ({@code PixelCNNLayer_up}) hands every block's outputs to the down pass
 * ({@code PixelCNNLayer_down}), which takes them back in reverse order as skips.
 */
final class PixelCnnStage extends Module {

	private final ModuleList<GatedResnet> uStream, ulStream;
	private final boolean down;

	private PixelCnnStage(int blocks, int filters, boolean down, boolean weightNorm) {
		this.down = down;
		uStream = add("u_stream", new ModuleList<>());
		ulStream = add("ul_stream", new ModuleList<>());
		for (int i = 0; i < blocks; i++) {
			uStream.append(new GatedResnet(filters, ShiftedConv.Shift.DOWN, down ? 1 : 0, weightNorm));
			ulStream.append(new GatedResnet(filters, ShiftedConv.Shift.DOWN_RIGHT, down ? 2 : 1, weightNorm));
		}
	}

	static PixelCnnStage up(int blocks, int filters, boolean weightNorm) {
		return new PixelCnnStage(blocks, filters, false, weightNorm);
	}

	static PixelCnnStage down(int blocks, int filters, boolean weightNorm) {
		return new PixelCnnStage(blocks, filters, true, weightNorm);
	}

	int blocks() {
		return uStream.size();
	}

	/** The up pass: every block's outputs are pushed onto the two lists. */
	void up(NDArray u, NDArray ul, List<NDArray> us, List<NDArray> uls) {
		up(u, ul, us, uls, ShiftedConv::forward);
	}

	void up(NDArray u, NDArray ul, List<NDArray> us, List<NDArray> uls, ShiftedConv.Applier conv) {
		if (down) throw new IllegalStateException("a down stage");
		for (int i = 0; i < blocks(); i++) {
			u = uStream.items().get(i).forward(u, null, conv);
			ul = ulStream.items().get(i).forward(ul, u, conv);
			us.add(u);
			uls.add(ul);
		}
	}

	/** The down pass: skips popped from the ends of the lists; returns {@code [u, ul]}. */
	NDArray[] down(NDArray u, NDArray ul, Deque<NDArray> us, Deque<NDArray> uls) {
		return down(u, ul, us, uls, ShiftedConv::forward);
	}

	NDArray[] down(NDArray u, NDArray ul, Deque<NDArray> us, Deque<NDArray> uls, ShiftedConv.Applier conv) {
		if (!down) throw new IllegalStateException("an up stage");
		for (int i = 0; i < blocks(); i++) {
			u = uStream.items().get(i).forward(u, us.removeLast(), conv);
			ul = ulStream.items().get(i).forward(ul, NDArrays.concat(new NDList(u, uls.removeLast()), 1), conv);
		}
		return new NDArray[] { u, ul };
	}
}
