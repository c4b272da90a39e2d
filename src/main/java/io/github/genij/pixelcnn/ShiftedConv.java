package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Spatial;

/**
 * pclucas14's {@code down_shifted_conv2d} and {@code down_right_shifted_conv2d}: a convolution padded with zeros
 * so that an output pixel reads only the rows above it and its own row ({@link Shift#DOWN}: centred across), or
 * only the rows above and the pixels to its left ({@link Shift#DOWN_RIGHT}). The first layers also shift their
 * output one row down (or one column right), so that no pixel ever sees itself. These shifts replace the masked
 * convolutions of the first PixelCNN and have no blind spot.
 */
final class ShiftedConv extends Module {

	enum Shift {
		DOWN, DOWN_RIGHT
	}

	final Shift shift;
	private final Conv conv;
	private final int kernelH, kernelW;
	private final boolean shiftOutput;

	/** The gated blocks' convolution: 2x3 (down) or 2x2 (down-right), stride 1, output not shifted. */
	ShiftedConv(Shift shift, int in, int out) {
		this(shift, in, out, 2, shift == Shift.DOWN ? 3 : 2, 1, false);
	}

	ShiftedConv(Shift shift, int in, int out, int kernelH, int kernelW, int stride, boolean shiftOutput) {
		this.shift = shift;
		this.kernelH = kernelH;
		this.kernelW = kernelW;
		this.shiftOutput = shiftOutput;
		conv = add("conv", new Conv(in, out, kernelH, kernelW, stride, true, 0));
	}

	NDArray forward(NDArray x) {
		// pad (left, right, top, bottom): rows above only; columns both sides (down) or the left only (down-right)
		long left = shift == Shift.DOWN ? (kernelW - 1) / 2 : kernelW - 1, right = shift == Shift.DOWN ? (kernelW - 1) / 2 : 0;
		NDArray y = conv.forward(x.pad(new Shape(left, right, kernelH - 1, 0), 0));
		if (!shiftOutput) return y;
		long h = y.getShape().get(2), w = y.getShape().get(3);
		return shift == Shift.DOWN ? y.get(":, :, :" + (h - 1) + ", :").pad(new Shape(0, 0, 1, 0), 0)
			: y.get(":, :, :, :" + (w - 1)).pad(new Shape(1, 0, 0, 0), 0);
	}

	@Override
	protected Spatial spatial() {
		return null; // the child convolution reports the grid change; the padding keeps the size
	}
}
