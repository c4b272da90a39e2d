package io.github.genij.core.nn.module;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's {@code Dropout(0.5)}: zeroes half the values and doubles the rest, drawing from the random
 * source it was given (in training, or pix2pix's test-time dropout); the identity without one. As
 * {@code Dropout2d(0.5)} ({@link #channels()}) it zeroes whole channels of {@code [N, C, H, W]}.
 */
public class Dropout extends Module implements Layer {

	private final boolean wholeChannels;
	private Random random;

	public Dropout() {
		this(false);
	}

	private Dropout(boolean wholeChannels) {
		this.wholeChannels = wholeChannels;
	}

	/** {@code Dropout2d(0.5)}: a channel of a sample is kept (doubled) or zeroed as a whole. */
	public static Dropout channels() {
		return new Dropout(true);
	}

	/** Switches dropout on, drawing from {@code r}; null switches it off. */
	public void draw(Random r) {
		this.random = r;
	}

	@Override
	public NDArray forward(NDArray x) {
		if (random == null) return x;
		Shape shape = wholeChannels ? new Shape(x.getShape().get(0), x.getShape().get(1), 1, 1) : x.getShape();
		float[] keep = new float[(int) shape.size()];
		for (int i = 0; i < keep.length; i++) keep[i] = random.nextBoolean() ? 2f : 0f;
		return x.mul(x.getManager().create(keep, shape).toDevice(x.getDevice(), false));
	}
}
