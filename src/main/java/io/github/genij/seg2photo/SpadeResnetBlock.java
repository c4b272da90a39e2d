package io.github.genij.seg2photo;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;

/**
 * NVlabs/SPADE's {@code SPADEResnetBlock} (and OASIS's {@code ResnetBlock_with_SPADE}): SPADE norm, lrelu, 3×3 convolution, twice, plus a shortcut that
 * is learned (SPADE norm and a 1×1 convolution without bias) when the width changes. The convolutions
 * carry spectral norm in the files ({@code weight_orig}, {@code weight_u}, {@code weight_v}); the import
 * folds it with the stored vectors, except in a block declared for training, which keeps it as the reference trains it.
 */
final class SpadeResnetBlock extends Module {

	private final Conv conv0, conv1, convS;
	private final SpadeNorm norm0, norm1, normS;

	SpadeResnetBlock(int fin, int fout, int labelChannels) {
		this(fin, fout, labelChannels, SpadeNorm.Naming.SPADE);
	}

	/** OASIS's {@code ResnetBlock_with_SPADE} is the same block with its norms named {@code first_norm}. */
	SpadeResnetBlock(int fin, int fout, int labelChannels, SpadeNorm.Naming naming) {
		this(fin, fout, labelChannels, naming, false);
	}

	/** @param spectral keep the convolutions' spectral norm (to train), rather than folded weights (to apply) */
	SpadeResnetBlock(int fin, int fout, int labelChannels, SpadeNorm.Naming naming, boolean spectral) {
		int middle = Math.min(fin, fout);
		boolean learned = fin != fout;
		conv0 = add("conv_0", conv(fin, middle, 3, 1, true, spectral));
		conv1 = add("conv_1", conv(middle, fout, 3, 1, true, spectral));
		convS = learned ? add("conv_s", conv(fin, fout, 1, 0, false, spectral)) : null;
		norm0 = add("norm_0", new SpadeNorm(fin, labelChannels, naming));
		norm1 = add("norm_1", new SpadeNorm(middle, labelChannels, naming));
		normS = learned ? add("norm_s", new SpadeNorm(fin, labelChannels, naming)) : null;
	}

	private static Conv conv(int in, int out, int kernel, int padding, boolean bias, boolean spectral) {
		return spectral ? Conv.spectral(in, out, kernel, 1, padding, bias) : new Conv(in, out, kernel, 1, padding, bias);
	}

	NDArray forward(NDArray x, Labels labels) {
		NDArray shortcut = convS == null ? x : convS.forward(normS.forward(x, labels));
		NDArray dx = conv0.forward(SpadeNorm.lrelu(norm0.forward(x, labels)));
		dx = conv1.forward(SpadeNorm.lrelu(norm1.forward(dx, labels)));
		return shortcut.add(dx);
	}
}
