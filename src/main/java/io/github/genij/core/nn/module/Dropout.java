package io.github.genij.core.nn.module;

import java.util.Random;

import ai.djl.ndarray.NDArray;

/**
 * PyTorch's {@code Dropout(0.5)}: zeroes half the values and doubles the rest, drawing from the random
 * source it was given (in training, or pix2pix's test-time dropout); the identity without one.
 */
public class Dropout extends Module implements Layer {

	private Random random;

	/** Switches dropout on, drawing from {@code r}; null switches it off. */
	public void draw(Random r) {
		this.random = r;
	}

	@Override
	public NDArray forward(NDArray x) {
		if (random == null) return x;
		float[] keep = new float[(int) x.size()];
		for (int i = 0; i < keep.length; i++) keep[i] = random.nextBoolean() ? 2f : 0f;
		return x.mul(x.getManager().create(keep, x.getShape()).toDevice(x.getDevice(), false));
	}
}
