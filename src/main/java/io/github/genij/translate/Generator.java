package io.github.genij.translate;

import ai.djl.ndarray.NDArray;

/** A pix2pix/CycleGAN generator: {@code [1, in, H, W]} in [-1, 1] to {@code [1, out, H, W]} in [-1, 1]. */
interface Generator extends AutoCloseable {

	NDArray forward(NDArray x);

	int inputChannels();

	int outputChannels();

	/** Sides must be multiples of this. */
	int multiple();

	/** Context a tile needs around it (its receptive field's radius, roughly). */
	int halo();

	@Override
	void close();
}
