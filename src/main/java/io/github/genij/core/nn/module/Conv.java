package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** PyTorch's {@code Conv2d} (zero padding, dilation 1, one group): {@code weight [out, in, k, k]}, optional {@code bias}. */
public class Conv extends Module implements Layer {

	public final int in, out, kernel, stride, padding;
	private final Slot weight, bias;

	public Conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
		this.in = in;
		this.out = out;
		this.kernel = kernel;
		this.stride = stride;
		this.padding = padding;
		Init defaultInit = Init.uniformFanIn((long) in * kernel * kernel);
		this.weight = parameter("weight", defaultInit, out, in, kernel, kernel);
		this.bias = bias ? parameter("bias", defaultInit, out) : null;
	}

	/** Sets how training initialises the weight and bias (PyTorch's default otherwise). */
	public Conv init(Init weightInit, Init biasInit) {
		weight.initWith(weightInit);
		if (bias != null) bias.initWith(biasInit);
		return this;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Conv2d.conv2d(x, weight.on(x), bias == null ? null : bias.on(x), new Shape(stride, stride),
			new Shape(padding, padding), new Shape(1, 1)).get(0);
		if (Trace.active()) {
			long outPixels = y.getShape().get(0) * y.getShape().get(2) * y.getShape().get(3);
			Trace.record(this, x, y, outPixels * out * in * kernel * kernel);
		}
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial(kernel, stride, 1);
	}
}
