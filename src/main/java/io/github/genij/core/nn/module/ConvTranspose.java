package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.TransposedConv2d;

/**
 * PyTorch's {@code ConvTranspose2d}: {@code weight [in, out, kH, kW]}, optional {@code bias}. In inference
 * the sub-pixel kernels are prepared once per set of weights; in training on every call, so that
 * gradients reach the weight.
 */
public class ConvTranspose extends WeightAndBias {

	public final int in, out, kernelH, kernelW, stride, padding, outputPadding;
	private TransposedConv2d prepared;

	public ConvTranspose(int in, int out, int kernel, int stride, int padding, int outputPadding, boolean bias) {
		this(in, out, kernel, kernel, stride, padding, outputPadding, bias);
	}

	/** A {@code kernelH x kernelW} kernel (PixelCNN++'s 2x3 and 2x2 up-sampling). */
	public ConvTranspose(int in, int out, int kernelH, int kernelW, int stride, int padding, int outputPadding, boolean bias) {
		this(in, out, kernelH, kernelW, stride, padding, outputPadding, bias, false);
	}

	/**
	 * As above; {@code weightNorm}: the weight kept as weight norm's g and v, g per input channel (dim 0 of
	 * a transposed convolution's weight, as {@code weight_norm} computes it).
	 */
	public ConvTranspose(int in, int out, int kernelH, int kernelW, int stride, int padding, int outputPadding, boolean bias,
		boolean weightNorm)
	{
		// PyTorch's default fan-in of a transposed convolution is weight.size(1) * kH * kW
		super((long) out * kernelH * kernelW, bias, new long[] { in, out, kernelH, kernelW }, out, weightNorm);
		this.in = in;
		this.out = out;
		this.kernelH = kernelH;
		this.kernelW = kernelW;
		this.stride = stride;
		this.padding = padding;
		this.outputPadding = outputPadding;
	}

	@Override
	protected void weightsChanged() {
		prepared = null;
	}

	@Override
	public NDArray forward(NDArray x) {
		int[] s = { stride, stride }, p = { padding, padding }, op = { outputPadding, outputPadding };
		NDArray b = bias == null ? null : bias.local(x);
		NDArray y;
		// in training, with weight norm, or for an input of another precision than the weights (float64 checks):
		// from the weight itself
		if (isTraining() || hasWeightNorm() || x.getDataType() != weight.value().getDataType())
			y = TransposedConv2d.apply(x, weightFor(x), b, s, p, op);
		else {
			if (prepared == null) prepared = TransposedConv2d.prepare(weight.value(), s, p, op);
			y = prepared.forward(x, b);
		}
		if (Trace.active()) {
			long inPixels = x.getShape().get(0) * x.getShape().get(2) * x.getShape().get(3);
			Trace.record(this, x, y, inPixels * in * out * kernelH * kernelW);
		}
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial((Math.max(kernelH, kernelW) + stride - 1) / stride, 1, stride);
	}
}
