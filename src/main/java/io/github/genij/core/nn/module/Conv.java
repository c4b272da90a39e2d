package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.nn.Convolutions;

/**
 * PyTorch's {@code Conv2d} (zero padding, dilation 1, one group): {@code weight [out, in, kH, kW]}, optional
 * {@code bias}. Kernels are square unless built with {@link #Conv(int, int, int, int, int, boolean, int)}.
 */
public class Conv extends WeightAndBias {

	public final int in, out, kernelH, kernelW, stride, padding;

	public Conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
		this(in, out, kernel, kernel, stride, bias, padding);
	}

	/** A {@code kernelH x kernelW} kernel (PixelCNN's 2x3 and 2x2), {@code padding} on every side. */
	public Conv(int in, int out, int kernelH, int kernelW, int stride, boolean bias, int padding) {
		this(in, out, kernelH, kernelW, stride, bias, padding, false);
	}

	/** As above; {@code weightNorm}: the weight kept as weight norm's g and v (see {@link WeightAndBias}). */
	public Conv(int in, int out, int kernelH, int kernelW, int stride, boolean bias, int padding, boolean weightNorm) {
		this(in, out, kernelH, kernelW, stride, bias, padding, weightNorm ? Storage.WEIGHT_NORM : Storage.PLAIN);
	}

	/** A square kernel whose weight is kept under spectral norm ({@code torch.nn.utils.spectral_norm(nn.Conv2d(...))}). */
	public static Conv spectral(int in, int out, int kernel, int stride, int padding, boolean bias) {
		return new Conv(in, out, kernel, kernel, stride, bias, padding, Storage.SPECTRAL_NORM);
	}

	private Conv(int in, int out, int kernelH, int kernelW, int stride, boolean bias, int padding, Storage storage) {
		super((long) in * kernelH * kernelW, bias, new long[] { out, in, kernelH, kernelW }, out, storage);
		this.in = in;
		this.out = out;
		this.kernelH = kernelH;
		this.kernelW = kernelW;
		this.stride = stride;
		this.padding = padding;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Convolutions.conv2d(x, weight != null ? weight.on(x) : weightFor(x), bias == null ? null : bias.on(x), stride, padding);
		if (Trace.active()) {
			long outPixels = y.getShape().get(0) * y.getShape().get(2) * y.getShape().get(3);
			Trace.record(this, x, y, outPixels * out * in * kernelH * kernelW);
		}
		return y;
	}

	/** {@link #forward} for an input already padded with zero channels (see {@link Convolutions#conv2dPaddedInput}). */
	public NDArray forwardPaddedInput(NDArray xPadded) {
		return Convolutions.conv2dPaddedInput(xPadded, weight != null ? weight.on(xPadded) : weightFor(xPadded), bias == null ? null : bias.on(xPadded),
			stride, padding);
	}

	@Override
	protected Spatial spatial() {
		int kernel = Math.max(kernelH, kernelW); // per axis alike: the larger side bounds both
		return new Spatial(kernel, stride, 1, kernel - 2 * padding);
	}
}
