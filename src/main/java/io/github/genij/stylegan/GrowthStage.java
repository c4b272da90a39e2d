package io.github.genij.stylegan;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.Upsampling;

/**
 * Where a progressively grown generator is sampled: one of its stages (stage i makes 4·2^i px) and, in a transition,
 * {@code alpha}, the newest stage's share: {@code (1 - alpha) · previous stage's RGB, up-sampled + alpha · this stage's}.
 * One meaning for every file (pytorch_GAN_zoo stores the other share; its loader turns it round).
 */
final class GrowthStage {

	final int index;
	final double alpha;

	private GrowthStage(int index, double alpha) {
		this.index = index;
		this.alpha = alpha;
	}

	/** The stage making {@code resolution} px of a model with {@code stages} of them, refused in one line otherwise. */
	static GrowthStage at(int resolution, double alpha, int stages, String model) {
		int s = Integer.numberOfTrailingZeros(resolution) - 2;
		if (resolution < 4 || Integer.bitCount(resolution) != 1 || s >= stages) {
			throw new GenIJException("resolution=" + resolution + " is not one this " + model + " grows through: give 4, 8, ... up to " +
				(4 << (stages - 1)) + ".");
		}
		if (!(alpha >= 0 && alpha <= 1)) throw new GenIJException("alpha=" + alpha + " is not allowed: give 0 to 1 (1: the resolution fully grown).");
		return new GrowthStage(s, alpha);
	}

	/** The last stage, fully grown. */
	static GrowthStage last(int stages) {
		return new GrowthStage(stages - 1, 1);
	}

	int resolution() {
		return 4 << index;
	}

	/** This stage's RGB, blended with the previous stage's (computed only in a transition) when alpha is below 1. */
	NDArray blend(NDArray rgb, java.util.function.Supplier<NDArray> previousRgb) {
		if (index == 0 || alpha >= 1) return rgb;
		NDArray skip = Upsampling.nearest(previousRgb.get(), 2);
		return Scalars.times(skip, (float) (1 - alpha)).add(Scalars.times(rgb, (float) alpha));
	}

	/** For descriptions: {@code " (alpha 0.350)"} in a transition, else nothing. */
	String transition() {
		return alpha < 1 ? String.format(Locale.ROOT, " (alpha %.3f)", alpha) : "";
	}
}
