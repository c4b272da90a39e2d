package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.Module;

/**
 * pclucas14's {@code down_shifted_deconv2d} (2x3) and {@code down_right_shifted_deconv2d} (2x2): a stride-2
 * transposed convolution with output padding 1, cut back so that the result stays causal, and (GenIJ's
 * generalisation) to the size of the finer stream it joins, so that sides that are not multiples of 4 work. For
 * multiples of 4 the second cut removes nothing and the result is the reference's.
 */
final class ShiftedDeconv extends Module {

	private final ConvTranspose deconv;
	private final ShiftedConv.Shift shift;

	ShiftedDeconv(ShiftedConv.Shift shift, int filters, boolean weightNorm) {
		this.shift = shift;
		int kernelW = shift == ShiftedConv.Shift.DOWN ? 3 : 2;
		deconv = add("deconv", new ConvTranspose(filters, filters, 2, kernelW, 2, 0, 1, true, weightNorm));
	}

	/** Up-samples {@code x} to {@code height x width} (the stream it will meet). */
	NDArray forward(NDArray x, long height, long width) {
		NDArray y = deconv.forward(x);
		long left = shift == ShiftedConv.Shift.DOWN ? (deconv.kernelW - 1) / 2 : 0;
		// the reference keeps rows [0, H - kH + 1) and columns [left, W - left) or [0, W - kW + 1): 2h x 2w
		return y.get(":, :, :" + height + ", " + left + ":" + (left + width));
	}
}
