package io.github.genij.seg2photo;

import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;

/**
 * SEAN's {@code SPADEResnetBlock}: SPADE's residual block with {@link SeanAce} norms ({@code ace_0}, {@code ace_1},
 * {@code ace_s} for a learned shortcut); spectral norm on the convolutions, folded at load. The ACEs are called in the
 * reference's order (the shortcut's first), which is the order their noise maps are drawn in.
 */
final class SeanResnetBlock extends Module {

	private final Conv conv0, conv1, convS;
	private final SeanAce ace0, ace1, aceS;

	SeanResnetBlock(int fin, int fout, int labelChannels, int styleLength) {
		int middle = Math.min(fin, fout);
		boolean learned = fin != fout;
		conv0 = add("conv_0", new Conv(fin, middle, 3, 1, 1, true));
		conv1 = add("conv_1", new Conv(middle, fout, 3, 1, 1, true));
		convS = learned ? add("conv_s", new Conv(fin, fout, 1, 1, 0, false)) : null;
		ace0 = add("ace_0", new SeanAce(fin, labelChannels, styleLength));
		ace1 = add("ace_1", new SeanAce(middle, labelChannels, styleLength));
		aceS = learned ? add("ace_s", new SeanAce(fin, labelChannels, styleLength)) : null;
	}

	/** @param noise the next noise map for an activation (its size), or null for none */
	NDArray forward(NDArray x, Labels labels, NDArray codes, Function<NDArray, NDArray> noise) {
		NDArray shortcut = convS == null ? x : convS.forward(aceS.forward(x, labels, codes, noise == null ? null : noise.apply(x)));
		NDArray dx = conv0.forward(SpadeNorm.lrelu(ace0.forward(x, labels, codes, noise == null ? null : noise.apply(x))));
		dx = conv1.forward(SpadeNorm.lrelu(ace1.forward(dx, labels, codes, noise == null ? null : noise.apply(dx))));
		return shortcut.add(dx);
	}
}
