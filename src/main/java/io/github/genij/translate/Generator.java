package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.tiling.ImageNetwork;

/** A pix2pix/CycleGAN generator: {@code [1, in, H, W]} in [-1, 1] to {@code [1, out, H, W]} in [-1, 1]. */
interface Generator extends AutoCloseable {

	NDArray forward(NDArray x);

	/** The layers this generator is made of. */
	GeneratorLayers layers();

	/**
	 * This generator as the tiled runner should drive it: with batch norm on the image's own statistics,
	 * it gathers those of the whole image over the windows first ({@link WholeImageBatchNorm}).
	 */
	default ImageNetwork network() {
		return layers().network(this::forward);
	}

	int inputChannels();

	int outputChannels();

	/** Sides must be multiples of this. */
	int multiple();

	/** Context a tile needs around it (its receptive field's radius, roughly). */
	int halo();

	@Override
	void close();
}
