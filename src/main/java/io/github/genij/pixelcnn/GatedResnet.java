package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.module.Dropout;
import io.github.genij.core.nn.module.Module;

/**
 * pclucas14's {@code gated_resnet}: {@code x + a * sigmoid(b)} where {@code [a, b]} = conv(concat_elu(conv(concat_elu(x))
 * + nin(concat_elu(skip)))). The skip input ({@code nin_skip}) is absent in the up pass's vertical stream, one
 * stream wide in the other up-pass blocks and the down pass's vertical stream, two wide (both streams) in the
 * down pass's horizontal stream. Dropout (training only) sits before the last convolution.
 */
final class GatedResnet extends Module {

	private final ShiftedConv convInput, convOut;
	private final Nin ninSkip;
	final Dropout dropout;

	/** @param skipStreams how many streams of {@code filters} channels the skip input has (0: none) */
	GatedResnet(int filters, ShiftedConv.Shift shift, int skipStreams, boolean weightNorm) {
		this(filters, shift, 2, shift == ShiftedConv.Shift.DOWN_RIGHT ? 2 : 3, skipStreams, weightNorm);
	}

	/**
	 * A block whose two convolutions have {@code kernelH x kernelW} kernels: Kolesnikov &amp; Lampert's blocks use 3x3
	 * (shifted in the causal stack, centred in the conditioning network).
	 */
	GatedResnet(int filters, ShiftedConv.Shift shift, int kernelH, int kernelW, int skipStreams, boolean weightNorm) {
		convInput = add("conv_input", new ShiftedConv(shift, 2 * filters, filters, kernelH, kernelW, 1, false, weightNorm));
		ninSkip = skipStreams == 0 ? null : add("nin_skip", new Nin(2 * skipStreams * filters, filters, weightNorm));
		dropout = add("dropout", Dropout.channels());
		convOut = add("conv_out", new ShiftedConv(shift, 2 * filters, 2 * filters, kernelH, kernelW, 1, false, weightNorm));
	}

	NDArray forward(NDArray x, NDArray skip) {
		return forward(x, skip, ShiftedConv::forward);
	}

	/** The block with its two convolutions applied by {@code conv} (the row-by-row sampler keeps their rows). */
	NDArray forward(NDArray x, NDArray skip, ShiftedConv.Applier conv) {
		NDArray y = conv.apply(convInput, concatElu(x));
		if (skip != null) y = y.add(ninSkip.forward(concatElu(skip)));
		y = conv.apply(convOut, dropout.forward(concatElu(y)));
		NDList halves = y.split(2, 1);
		return x.add(halves.get(0).mul(Activation.sigmoid(halves.get(1))));
	}

	/** ELU of x and of -x, concatenated along the channels (twice the channels). */
	static NDArray concatElu(NDArray x) {
		return Activation.elu(NDArrays.concat(new NDList(x, x.neg()), 1), 1f);
	}
}
