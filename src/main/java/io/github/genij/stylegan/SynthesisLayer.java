package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * NVIDIA's {@code SynthesisLayer}: styles from w ({@code affine}), a 3×3 modulated and demodulated
 * convolution (up-sampling ×2 for a block's first layer), noise × {@code noise_strength}, bias, lrelu,
 * and the clamp to ±{@code conv_clamp} where the model has one.
 */
final class SynthesisLayer extends Module {

	final int resolution, up;
	private final Float convClamp;
	private final FullyConnectedLayer affine;
	private final Slot weight, noiseStrength, bias, resampleFilter, noiseConst;

	SynthesisLayer(int in, int out, int wDim, int resolution, int up, Float convClamp) {
		this.resolution = resolution;
		this.up = up;
		this.convClamp = convClamp;
		resampleFilter = buffer("resample_filter", StyleOps.FILTER, 4, 4);
		affine = add("affine", new FullyConnectedLayer(wDim, in, false, 1f, 1f));
		weight = parameter("weight", Init.normal(0, 1), out, in, 3, 3);
		noiseConst = buffer("noise_const", Init.normal(0, 1), resolution, resolution);
		noiseStrength = parameter("noise_strength", Init.zeros());
		bias = parameter("bias", Init.zeros(), out);
	}

	/** {@code gain} scales the output (and the clamp): √0.5 on a resnet block's second layer. */
	NDArray forward(NDArray x, NDArray w, Noise noise, float gain) {
		// in inference the layer's intermediate arrays (a dozen image-sized ones at 1024 px) are freed on return
		return step(x, in -> {
			NDArray styles = affine.forward(w);
			NDArray y = StyleOps.modulatedConv(in, weight.local(in), styles, true, up, resampleFilter.local(in));
			NDArray n = noise.mode == Noise.Mode.CONST ? noiseConst.local(y).mul(noiseStrength.local(y))
				: noise.mode == Noise.Mode.RANDOM ? noise.draw(y, resolution).mul(noiseStrength.local(y)) : null;
			Float clamp = convClamp == null ? null : convClamp * gain;
			if (isTraining()) return StyleOps.biasAct(n == null ? y : y.add(n), bias.local(y), true, StyleOps.LRELU_GAIN * gain, clamp);
			if (n != null) y.addi(n); // y is the convolution's fresh output: in inference, work on it in place
			return StyleOps.biasActConsuming(y, bias.local(y), true, StyleOps.LRELU_GAIN * gain, clamp);
		});
	}
}
