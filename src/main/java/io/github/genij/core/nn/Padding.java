package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Reflection and replication padding of {@code [N, C, H, W]} arrays, as PyTorch's {@code ReflectionPad2d}
 * and {@code ReplicationPad2d} (DJL pads only with a constant). Built from slices, flips and
 * concatenation, so gradients flow through.
 */
public final class Padding {

	private Padding() {}

	/**
	 * Mirror padding without repeating the edge pixel; each pad must be smaller than its side. One native
	 * constant pad (a single copy of the image), then the mirrored border strips written in place: half
	 * the memory traffic of concatenating along each axis, which matters in AdaIN's 19 padded layers.
	 */
	public static NDArray reflect(NDArray x, int left, int right, int top, int bottom) {
		long h = x.getShape().get(2), w = x.getShape().get(3);
		if (left >= w || right >= w || top >= h || bottom >= h) {
			throw new IllegalArgumentException("reflection padding (" + left + ", " + right + ", " + top + ", " + bottom +
				") must be smaller than the image " + x.getShape());
		}
		if (left + right + top + bottom == 0) return x;
		NDArray y = x.pad(new Shape(left, right, top, bottom), 0);
		String rows = top + ":" + (top + h);
		if (left > 0) y.set(new NDIndex(":, :, " + rows + ", 0:" + left), mirror(x.get(":, :, :, 1:" + (left + 1)), 3, left));
		if (right > 0) y.set(new NDIndex(":, :, " + rows + ", " + (left + w) + ":"), mirror(x.get(":, :, :, " + (w - 1 - right) +
			":" + (w - 1)), 3, right));
		// rows are mirrored from the already padded image, so the corners come out right
		if (top > 0) y.set(new NDIndex(":, :, 0:" + top), mirror(y.get(":, :, " + (top + 1) + ":" + (2 * top + 1)), 2, top));
		if (bottom > 0) y.set(new NDIndex(":, :, " + (top + h) + ":"), mirror(y.get(":, :, " + (top + h - 1 - bottom) + ":" +
			(top + h - 1)), 2, bottom));
		return y;
	}

	/** A strip in reverse order along an axis (a one-wide strip is its own mirror). */
	private static NDArray mirror(NDArray strip, int axis, int width) {
		return width == 1 ? strip : strip.flip(axis);
	}

	public static NDArray reflect(NDArray x, int pad) {
		return reflect(x, pad, pad, pad, pad);
	}

	/** Repeats the edge pixels outward. */
	public static NDArray replicate(NDArray x, int left, int right, int top, int bottom) {
		long h = x.getShape().get(2), w = x.getShape().get(3);
		NDArray y = x;
		if (left > 0 || right > 0) y = concat(3, left > 0 ? y.get(":, :, :, 0:1").repeat(3, left) : null, y,
			right > 0 ? y.get(":, :, :, " + (w - 1) + ":" + w).repeat(3, right) : null);
		if (top > 0 || bottom > 0) y = concat(2, top > 0 ? y.get(":, :, 0:1").repeat(2, top) : null, y,
			bottom > 0 ? y.get(":, :, " + (h - 1) + ":" + h).repeat(2, bottom) : null);
		return y;
	}

	public static NDArray replicate(NDArray x, int pad) {
		return replicate(x, pad, pad, pad, pad);
	}

	private static NDArray concat(int axis, NDArray before, NDArray middle, NDArray after) {
		NDList parts = new NDList();
		if (before != null) parts.add(before);
		parts.add(middle);
		if (after != null) parts.add(after);
		return parts.size() == 1 ? middle : NDArrays.concat(parts, axis);
	}
}
