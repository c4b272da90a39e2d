package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;

/** PyTorch's {@code Linear}: {@code weight [out, in]}, optional {@code bias}, over the last axis. */
public class Linear extends Module implements Layer {

	public final int in, out;
	private final Slot weight, bias;

	public Linear(int in, int out, boolean bias) {
		this.in = in;
		this.out = out;
		Init defaultInit = Init.uniformFanIn(in);
		this.weight = parameter("weight", defaultInit, out, in);
		this.bias = bias ? parameter("bias", defaultInit, out) : null;
	}

	public Linear init(Init weightInit, Init biasInit) {
		weight.initWith(weightInit);
		if (bias != null) bias.initWith(biasInit);
		return this;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = x.matMul(weight.local(x).transpose());
		if (bias != null) y = y.add(bias.local(x));
		if (Trace.active()) Trace.record(this, x, y, x.size() / in * (long) in * out);
		return y;
	}
}
