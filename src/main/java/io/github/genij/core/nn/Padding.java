package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Reflection and replication padding of {@code [N, C, H, W]} arrays, as PyTorch's {@code ReflectionPad2d}
 * and {@code ReplicationPad2d} (DJL pads only with a constant). Built from slices, flips and
 * concatenation, so gradients flow through.
 */
public final class Padding {

	private Padding() {}

	/** Mirror padding without repeating the edge pixel; each pad must be smaller than its side. */
	public static NDArray reflect(NDArray x, int left, int right, int top, int bottom) {
		long h = x.getShape().get(2), w = x.getShape().get(3);
		if (left >= w || right >= w || top >= h || bottom >= h) {
			throw new IllegalArgumentException("reflection padding (" + left + ", " + right + ", " + top + ", " + bottom +
				") must be smaller than the image " + x.getShape());
		}
		NDArray y = x;
		if (left > 0 || right > 0) y = concat(3, left > 0 ? y.get(":, :, :, 1:" + (left + 1)).flip(3) : null, y,
			right > 0 ? y.get(":, :, :, " + (w - 1 - right) + ":" + (w - 1)).flip(3) : null);
		if (top > 0 || bottom > 0) y = concat(2, top > 0 ? y.get(":, :, 1:" + (top + 1)).flip(2) : null, y,
			bottom > 0 ? y.get(":, :, " + (h - 1 - bottom) + ":" + (h - 1)).flip(2) : null);
		return y;
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
