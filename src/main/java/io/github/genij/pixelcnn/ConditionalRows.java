package io.github.genij.pixelcnn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * {@link ConditionalPixelCnn}'s pass one image row at a time, for sampling: every convolution keeps the final
 * input rows above that its kernel reads (two for the 3x3 blocks), the vertical first layer its output row above.
 * The conditioning features are computed once, from the auxiliary image, before the first pixel. The same
 * layers on fewer rows: the values of the whole-image pass (see {@link RowByRow} for PixelCNN++).
 * <p>
 * Use as {@link RowByRow}: {@link #pass} row r as often as its pixels change, then once more when it is final and
 * {@link #commit} while that pass's arrays are open.
 */
final class ConditionalRows implements PixelSampler.KeptRows {

	/** What one convolution keeps: its final input rows above, oldest first; the first layer's output row above. */
	private static final class Kept {
		final List<NDArray> inputsAbove = new ArrayList<>();
		NDArray outputAbove, pendingInput, pendingOutput;
	}

	private final ConditionalPixelCnn net;
	private final NDArray features; // [N, F, H, W] or null
	private final NDManager keep;
	private final Map<ShiftedConv, Kept> kept = new IdentityHashMap<>();

	/** @param features the conditioning features of the whole image (kept by the caller until this is closed); null: none */
	ConditionalRows(ConditionalPixelCnn net, NDArray features, NDManager parent) {
		this.net = net;
		this.features = features;
		this.keep = parent.newSubManager();
	}

	/** The mixture parameters of row {@code r}, {@code [N, P, 1, W]}, from the image's row r {@code [N, C, 1, W]} in [-1, 1]. */
	@Override
	public NDArray pass(int r, NDArray row) {
		NDArray f = null;
		if (features != null) {
			f = features.get(":, :, " + r + ":" + (r + 1) + ", :");
			f.attach(row.getManager()); // goes with the pass
		}
		return net.forward(row, f, this::apply);
	}

	private NDArray apply(ShiftedConv conv, NDArray x) {
		Kept k = kept.computeIfAbsent(conv, c -> new Kept());
		k.pendingInput = x;
		NDArray here = conv.convolveRows(withRowsAbove(k, x, conv.kernelHeight()));
		if (!conv.shiftsOutput()) return here;
		if (conv.shift == ShiftedConv.Shift.DOWN_RIGHT) return ShiftedConv.shiftRight(here);
		k.pendingOutput = here; // shifted down: this row shows the row above's output
		return k.outputAbove != null ? local(k.outputAbove, x) : here.zerosLike();
	}

	/** Row {@code r} is final: its inputs become rows above for the rows below. */
	@Override
	public void commit(int r) {
		for (Map.Entry<ShiftedConv, Kept> e : kept.entrySet()) {
			Kept k = e.getValue();
			int rows = e.getKey().kernelHeight() - 1;
			if (rows > 0 && k.pendingInput != null) {
				k.inputsAbove.add(copy(k.pendingInput));
				while (k.inputsAbove.size() > rows) k.inputsAbove.remove(0).close();
			}
			if (k.pendingOutput != null) {
				if (k.outputAbove != null) k.outputAbove.close();
				k.outputAbove = copy(k.pendingOutput);
			}
			k.pendingInput = k.pendingOutput = null;
		}
	}

	/** The kernel's rows: zeros above the image's first rows, then the kept rows, then this one. */
	private static NDArray withRowsAbove(Kept k, NDArray x, int kernelHeight) {
		if (kernelHeight == 1) return x;
		NDList rows = new NDList();
		for (int i = k.inputsAbove.size(); i < kernelHeight - 1; i++) rows.add(x.zerosLike());
		for (NDArray above : k.inputsAbove) rows.add(local(above, x));
		rows.add(x);
		return NDArrays.concat(rows, 2);
	}

	private NDArray copy(NDArray value) {
		NDArray c = value.duplicate();
		c.attach(keep);
		return c;
	}

	/** A view of a kept array in {@code like}'s manager (see RowByRow.local). */
	private static NDArray local(NDArray kept, NDArray like) {
		NDArray view = kept.reshape(kept.getShape());
		view.attach(like.getManager());
		return view;
	}

	@Override
	public void close() {
		keep.close();
	}
}
