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
		DOWN, DOWN_RIGHT,
		/** No shift: an ordinary centred convolution (the conditioning networks, which see a whole known image). */
		NONE
	}

	/** How a block applies its shifted convolutions: {@link #forward} on whole images, or with kept rows. */
	@FunctionalInterface
	interface Applier {
		NDArray apply(ShiftedConv conv, NDArray x);
	}

	final Shift shift;
	private final Conv conv;
	private final int kernelH, kernelW;
	private final boolean shiftOutput;

	/** @param weightNorm keep the reference's weight norm (training); inference folds it */
	ShiftedConv(Shift shift, int in, int out, int kernelH, int kernelW, int stride, boolean shiftOutput, boolean weightNorm) {
		this.shift = shift;
		this.kernelH = kernelH;
		this.kernelW = kernelW;
		this.shiftOutput = shiftOutput;
		conv = add("conv", new Conv(in, out, kernelH, kernelW, stride, true, 0, weightNorm));
	}

	NDArray forward(NDArray x) {
		long above = shift == Shift.NONE ? (kernelH - 1) / 2 : kernelH - 1, below = shift == Shift.NONE ? (kernelH - 1) / 2 : 0;
		NDArray y = conv.forward(x.pad(new Shape(left(), right(), above, below), 0));
		if (!shiftOutput) return y;
		long h = y.getShape().get(2);
		return shift == Shift.DOWN ? y.get(":, :, :" + (h - 1) + ", :").pad(new Shape(0, 0, 1, 0), 0) : shiftRight(y);
	}

	/** Zero columns before and after: both sides (down), or the left only (down-right). */
	private long left() {
		return shift == Shift.DOWN_RIGHT ? kernelW - 1 : (kernelW - 1) / 2;
	}

	private long right() {
		return shift == Shift.DOWN_RIGHT ? 0 : (kernelW - 1) / 2;
	}

	int kernelHeight() {
		return kernelH;
	}

	int stride() {
		return conv.stride;
	}

	boolean shiftsOutput() {
		return shiftOutput;
	}

	/**
	 * The convolution of {@code kernelH} rows that already hold their context above (the row-by-row sampler gives
	 * the kept rows): padded across only, no output shift; one output row (or fewer columns at stride 2).
	 */
	NDArray convolveRows(NDArray rows) {
		return conv.forward(rows.pad(new Shape(left(), right(), 0, 0), 0));
	}

	/** Moves each row one column right, a zero column entering on the left (the down-right first layer's shift). */
	static NDArray shiftRight(NDArray y) {
		long w = y.getShape().get(3);
		return y.get(":, :, :, :" + (w - 1)).pad(new Shape(1, 0, 0, 0), 0);
	}

	@Override
	protected Spatial spatial() {
		return null; // the child convolution reports the grid change; the padding keeps the size
	}
}
