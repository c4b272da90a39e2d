package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** Pooling DJL's PyTorch engine does not offer as PyTorch does. */
public final class Pooling {

	private Pooling() {}

	/**
	 * PyTorch's {@code avg_pool2d(x, kernel, stride, padding, count_include_pad=False)}: the mean over the window's
	 * pixels inside the image. DJL's engine ignores {@code countIncludePad} (it always counts the padding), so the
	 * padded mean is divided by the padded mean of ones, which is the share of the window inside the image.
	 */
	public static NDArray averageWithoutPadding(NDArray x, int kernel, int stride, int padding) {
		Shape k = new Shape(kernel, kernel), s = new Shape(stride, stride), p = new Shape(padding, padding);
		NDArray padded = Pool.avgPool2d(x, k, s, p, false, true);
		if (padding == 0) return padded;
		NDArray ones = x.getManager().ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)), x.getDataType(), x.getDevice());
		return padded.div(Pool.avgPool2d(ones, k, s, p, false, true));
	}
}
