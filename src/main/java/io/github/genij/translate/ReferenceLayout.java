package io.github.genij.translate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of the reference code's networks (junyanz/pytorch-CycleGAN-and-pix2pix) by their
 * state-dict names, in the order PyTorch writes them, with the shapes and the initialisation
 * {@code init_weights(init_type='normal', gain=0.02)} gives them. A network trained here therefore saves
 * a state dict that the reference's {@code load_state_dict} takes as it is.
 */
final class ReferenceLayout {

	/** How a parameter starts. */
	enum Init {
		/** N(0, 0.02): convolution and transposed-convolution weights. */
		CONV,
		/** 0: biases (of convolutions and batch norms). */
		BIAS,
		/** N(1, 0.02): batch-norm scales. */
		NORM_SCALE,
		/** 0, updated by batch norm, not trained. */
		RUNNING_MEAN,
		/** 1, updated by batch norm, not trained. */
		RUNNING_VAR,
		/** A step counter (int64 scalar), not trained. */
		COUNT
	}

	static final class Param {
		final long[] shape;
		final Init init;

		Param(Init init, long... shape) {
			this.shape = shape;
			this.init = init;
		}

		/** Whether the optimiser changes it (the others are statistics kept by the forward pass). */
		boolean trained() {
			return init == Init.CONV || init == Init.BIAS || init == Init.NORM_SCALE;
		}
	}

	final Map<String, Param> params = new LinkedHashMap<>();
	private final boolean batchNorm;

	private ReferenceLayout(boolean batchNorm) {
		this.batchNorm = batchNorm;
	}

	/** The reference's {@code UnetGenerator(in, out, numDowns, ngf, norm, use_dropout)}; dropout has no parameters. */
	static ReferenceLayout unet(int in, int out, int numDowns, int ngf, boolean batchNorm) {
		if (numDowns < 5) throw new IllegalArgumentException("a reference U-Net has at least 5 downsamplings, not " + numDowns);
		ReferenceLayout l = new ReferenceLayout(batchNorm);
		// PyTorch names modules outside-in; the reference builds blocks inside-out. Widths from the outside:
		// ngf, 2ngf, 4ngf, 8ngf, then 8ngf for every further level.
		int[] width = new int[numDowns];
		for (int level = 0; level < numDowns; level++) width[level] = ngf * Math.min(1 << level, 8);
		l.unetBlock("model.model", 0, width, in, out);
		return l;
	}

	/** Block {@code level} (0 = outermost): down from {@code outer} to {@code width[level]} channels and back. */
	private void unetBlock(String prefix, int level, int[] width, int input, int outer) {
		int inner = width[level];
		boolean outermost = level == 0, innermost = level == width.length - 1;
		boolean bias = !batchNorm; // the reference's use_bias: convolutions followed by batch norm have none
		if (outermost) {
			conv(prefix + ".0", inner, input, bias);
			unetBlock(prefix + ".1.model", 1, width, width[0], width[0]);
			deconv(prefix + ".3", inner * 2, outer, true);
		}
		else if (innermost) {
			conv(prefix + ".1", inner, input, bias);
			deconv(prefix + ".3", inner, outer, bias);
			norm(prefix + ".4", outer);
		}
		else {
			conv(prefix + ".1", inner, input, bias);
			norm(prefix + ".2", inner);
			unetBlock(prefix + ".3.model", level + 1, width, inner, inner);
			deconv(prefix + ".5", inner * 2, outer, bias);
			norm(prefix + ".6", outer);
		}
	}

	/** The reference's {@code NLayerDiscriminator(in, ndf, n_layers)}: the 70x70 PatchGAN for 3 layers. */
	static ReferenceLayout patchGan(int in, int ndf, int nLayers, boolean batchNorm) {
		ReferenceLayout l = new ReferenceLayout(batchNorm);
		boolean bias = !batchNorm;
		l.conv("model.0", ndf, in, true);
		int index = 2, previous = ndf;
		for (int n = 1; n <= nLayers; n++) {
			int width = ndf * Math.min(1 << n, 8);
			l.conv("model." + index, width, previous, bias);
			l.norm("model." + (index + 1), width);
			index += 3;
			previous = width;
		}
		l.conv("model." + index, 1, previous, true);
		return l;
	}

	private void conv(String name, int out, int in, boolean bias) {
		params.put(name + ".weight", new Param(Init.CONV, out, in, 4, 4));
		if (bias) params.put(name + ".bias", new Param(Init.BIAS, out));
	}

	private void deconv(String name, int in, int out, boolean bias) {
		params.put(name + ".weight", new Param(Init.CONV, in, out, 4, 4));
		if (bias) params.put(name + ".bias", new Param(Init.BIAS, out));
	}

	private void norm(String name, int channels) {
		if (!batchNorm) return; // the reference's instance norm has neither parameters nor statistics
		params.put(name + ".weight", new Param(Init.NORM_SCALE, channels));
		params.put(name + ".bias", new Param(Init.BIAS, channels));
		params.put(name + ".running_mean", new Param(Init.RUNNING_MEAN, channels));
		params.put(name + ".running_var", new Param(Init.RUNNING_VAR, channels));
		params.put(name + ".num_batches_tracked", new Param(Init.COUNT));
	}
}
