package io.github.genij.seg2photo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ModuleList;
import io.github.genij.core.nn.module.Upsample;

/**
 * boschresearch/OASIS's {@code OASIS_Generator}, keyed as its {@code *_EMA.pth}: the labels with the 3-D
 * noise z in front (64 channels by default; a vector broadcast over the image, or a map with another z per
 * region) shrunk by 2^(blocks-1) through a 3×3 convolution ({@code fc}), then SPADE residual blocks
 * ({@code body.0..5}: 16, 16, 16, 8, 4, 2, 1 × {@code channels_G}) conditioned on [z, labels], nearest ×2
 * between them, lrelu, a 3×3 convolution to RGB and tanh. The reference draws z itself inside forward;
 * here z is an input, so a seed gives the same image again.
 */
public final class OasisGenerator extends Module {

	public final int labelChannels, zDim, channels;
	private final ModuleList<SpadeResnetBlock> body;
	private final Conv fc, convImg;
	private final Upsample up;

	public OasisGenerator(int labelChannels, int zDim, int channels, int blocks) {
		if (blocks < 1 || blocks > 6) throw new GenIJException("OASIS has 1 to 6 residual blocks, not " + blocks + ".");
		this.labelChannels = labelChannels;
		this.zDim = zDim;
		this.channels = channels;
		int[] widths = { 16 * channels, 16 * channels, 16 * channels, 8 * channels, 4 * channels, 2 * channels, channels };
		convImg = add("conv_img", new Conv(widths[blocks], 3, 3, 1, 1, true));
		up = add("up", new Upsample(2));
		body = add("body", new ModuleList<>());
		for (int i = 0; i < blocks; i++)
			body.append(new SpadeResnetBlock(widths[i], widths[i + 1], labelChannels + zDim, SpadeNorm.Naming.OASIS));
		fc = add("fc", new Conv(labelChannels + zDim, 16 * channels, 3, 1, 1, true));
	}

	/** Sides of the input must be multiples of this. */
	public int multiple() {
		return 1 << (body.size() - 1);
	}

	/**
	 * The image {@code [1, 3, H, W]} for the one-hot labels {@code seg} ({@code [1, labelChannels, H, W]}) and
	 * {@code z}: {@code [1, zDim]} broadcast over the image, or a map {@code [1, zDim, H, W]}.
	 */
	public NDArray forward(NDArray seg, NDArray z) {
		long h = seg.getShape().get(2), w = seg.getShape().get(3);
		if (h % multiple() != 0 || w % multiple() != 0) throw new GenIJException("OASIS needs sides that are multiples of " + multiple() + ".");
		NDArray zmap = z.getShape().dimension() == 2 ? z.reshape(1, zDim, 1, 1).broadcast(new ai.djl.ndarray.types.Shape(1, zDim, h, w)) : z;
		Labels cond = new Labels(NDArrays.concat(new NDList(zmap, seg), 1));
		NDArray x = fc.forward(cond.at(h / multiple(), w / multiple()));
		for (int i = 0; i < body.size(); i++) {
			x = body.items().get(i).forward(x, cond);
			if (i < body.size() - 1) x = up.forward(x);
		}
		return convImg.forward(SpadeNorm.lrelu(x)).tanh();
	}
}
