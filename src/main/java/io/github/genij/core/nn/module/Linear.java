package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;

/** PyTorch's {@code Linear}: {@code weight [out, in]}, optional {@code bias}, over the last axis. */
public class Linear extends WeightAndBias {

	public final int in, out;

	public Linear(int in, int out, boolean bias) {
		this(in, out, bias, false);
	}

	/** {@code weightNorm}: the weight kept as weight norm's g and v (see {@link WeightAndBias}). */
	public Linear(int in, int out, boolean bias, boolean weightNorm) {
		super(in, bias, new long[] { out, in }, out, weightNorm);
		this.in = in;
		this.out = out;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = x.matMul(weightFor(x).transpose());
		if (bias != null) y = y.add(bias.local(x));
		if (Trace.active()) Trace.record(this, x, y, x.size() / in * (long) in * out);
		return y;
	}

	/**
	 * The layer applied at every pixel of {@code [N, in, H, W]} (a "network in network" layer), as a 1x1
	 * convolution: the same values as permuting to channels-last, {@link #forward} and back, without the two copies.
	 */
	public NDArray forwardPerPixel(NDArray x) {
		NDArray y = io.github.genij.core.nn.Convolutions.conv2d(x, weightFor(x).reshape(out, in, 1, 1),
			bias == null ? null : bias.local(x), 1, 0);
		if (Trace.active()) Trace.record(this, x, y, x.size() / in * (long) in * out);
		return y;
	}
}
