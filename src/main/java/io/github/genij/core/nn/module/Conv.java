package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.nn.Convolutions;

/** PyTorch's {@code Conv2d} (zero padding, dilation 1, one group): {@code weight [out, in, k, k]}, optional {@code bias}. */
public class Conv extends WeightAndBias {

	public final int in, out, kernel, stride, padding;

	public Conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
		super((long) in * kernel * kernel, bias, new long[] { out, in, kernel, kernel }, out);
		this.in = in;
		this.out = out;
		this.kernel = kernel;
		this.stride = stride;
		this.padding = padding;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Convolutions.conv2d(x, weight.on(x), bias == null ? null : bias.on(x), stride, padding);
		if (Trace.active()) {
			long outPixels = y.getShape().get(0) * y.getShape().get(2) * y.getShape().get(3);
			Trace.record(this, x, y, outPixels * out * in * kernel * kernel);
		}
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial(kernel, stride, 1, kernel - 2 * padding);
	}
}
