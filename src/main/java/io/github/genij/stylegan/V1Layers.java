package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.TransposedConv2d;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * The layers of rosinality's first StyleGAN ({@code style-based-gan-pytorch}, {@code model.py}), keyed as its state
 * dict. Its equalised learning rate keeps {@code weight_orig} and multiplies by {@code sqrt(2 / fan_in)} at use,
 * {@code fan_in = size(1) x elements of weight[0][0]} (so a noise weight {@code [1, C, 1, 1]} is scaled by
 * {@code sqrt(2 / C)}, as the reference computes it).
 */
final class V1Layers {

	private V1Layers() {}

	static float equalLrScale(long[] shape) {
		long fanIn = shape[1];
		for (int i = 2; i < shape.length; i++) fanIn *= shape[i];
		return (float) Math.sqrt(2.0 / fanIn);
	}

	/** {@code nn.Conv2d} under equal_lr: {@code weight_orig}, {@code bias}. */
	static final class Conv extends Module {
		private final Slot weight, bias;
		private final int padding;
		private final float scale;

		Conv(int in, int out, int kernel, int padding) {
			weight = parameter("weight_orig", Init.normal(0, 1), out, in, kernel, kernel);
			bias = parameter("bias", Init.zeros(), out);
			this.padding = padding;
			this.scale = equalLrScale(weight.shape());
		}

		NDArray forward(NDArray x) {
			return Convolutions.conv2d(x, Scalars.times(weight.local(x), scale), bias.local(x), 1, padding);
		}
	}

	/** {@code EqualConv2d}: the convolution as its child {@code conv}. */
	static final class EqualConv extends Module {
		private final Conv conv;

		EqualConv(int in, int out, int kernel, int padding) {
			conv = add("conv", new Conv(in, out, kernel, padding));
		}

		NDArray forward(NDArray x) {
			return conv.forward(x);
		}
	}

	/** {@code EqualLinear}: {@code linear.weight_orig}, {@code linear.bias}. */
	static final class EqualLinear extends Module {
		private final Inner linear;

		EqualLinear(int in, int out) {
			linear = add("linear", new Inner(in, out));
		}

		NDArray forward(NDArray x) {
			return linear.forward(x);
		}

		Slot bias() {
			return linear.bias;
		}

		static final class Inner extends Module {
			final Slot weight, bias;
			private final float scale;

			Inner(int in, int out) {
				weight = parameter("weight_orig", Init.normal(0, 1), out, in);
				bias = parameter("bias", Init.zeros(), out);
				scale = equalLrScale(weight.shape());
			}

			NDArray forward(NDArray x) {
				return x.matMul(Scalars.times(weight.local(x), scale).transpose()).add(bias.local(x));
			}
		}
	}

	/** {@code Blur}: a fixed 3x3 binomial filter per channel, kept as buffers {@code weight} and {@code weight_flip}. */
	static final class Blur extends Module {
		private final Slot weight;
		private final int channels;

		Blur(int channels) {
			this.channels = channels;
			Init binomial = (v, s, r) -> {
				float[] k = { 1, 2, 1, 2, 4, 2, 1, 2, 1 };
				for (int i = 0; i < v.length; i++) v[i] = k[i % 9] / 16f;
			};
			weight = buffer("weight", binomial, channels, 1, 3, 3);
			buffer("weight_flip", binomial, channels, 1, 3, 3);
		}

		NDArray forward(NDArray x) {
			return Convolutions.conv2d(x, weight.local(x), null, new Shape(1, 1), new Shape(1, 1), channels);
		}
	}

	/**
	 * {@code FusedUpsample}: a stride-2 transposed 3x3 convolution whose kernel (x sqrt(2 / fan_in), fan_in = in x 9) is
	 * first padded by one and averaged over its four 1-pixel shifts (a 4x4 kernel), padding 1.
	 */
	static final class FusedUpsample extends Module {
		private final Slot weight, bias;
		private final float scale;

		FusedUpsample(int in, int out, int kernel) {
			weight = parameter("weight", Init.normal(0, 1), in, out, kernel, kernel);
			bias = parameter("bias", Init.zeros(), out);
			scale = (float) Math.sqrt(2.0 / ((double) in * kernel * kernel));
		}

		NDArray forward(NDArray x) {
			NDArray w = Scalars.times(weight.local(x), scale);
			long k = w.getShape().get(2);
			NDArray p = w.pad(new Shape(1, 1, 1, 1), 0);
			String a = "1:" + (k + 2), b = "0:" + (k + 1);
			NDArray kernel = p.get(":, :, " + a + ", " + a).add(p.get(":, :, " + b + ", " + a)).add(p.get(":, :, " + a + ", " + b))
				.add(p.get(":, :, " + b + ", " + b)).div(4f);
			return TransposedConv2d.apply(x, kernel, bias.local(x), 2, 1, 0);
		}
	}

	/** {@code AdaptiveInstanceNorm}: instance norm, then {@code gamma x + beta} from {@code style} (an EqualLinear to 2C). */
	static final class AdaIn extends Module {
		private final EqualLinear style;
		private final int channels;

		AdaIn(int channels, int styleDim) {
			this.channels = channels;
			style = add("style", new EqualLinear(styleDim, 2 * channels));
			style.bias().initWith((v, s, r) -> {
				for (int i = 0; i < v.length; i++) v[i] = i < channels ? 1 : 0; // the reference starts at gamma 1, beta 0
			});
		}

		NDArray forward(NDArray x, NDArray w) {
			NDArray s = style.forward(w).reshape(-1, 2L * channels, 1, 1);
			NDArray gamma = s.get(":, 0:" + channels), beta = s.get(":, " + channels + ":");
			return Normalization.instanceNorm(x).mul(gamma).add(beta);
		}
	}

	/** {@code NoiseInjection} under equal_lr: {@code image + weight x noise}, weight {@code [1, C, 1, 1]} scaled by sqrt(2 / C). */
	static final class NoiseInjection extends Module {
		private final Slot weight;
		private final float scale;

		NoiseInjection(int channels) {
			weight = parameter("weight_orig", Init.zeros(), 1, channels, 1, 1);
			scale = equalLrScale(weight.shape());
		}

		NDArray forward(NDArray x, NDArray noise) {
			if (noise == null) return x;
			return x.add(Scalars.times(weight.local(x), scale).mul(noise));
		}
	}

	static NDArray lrelu(NDArray x) {
		return Activation.leakyRelu(x, 0.2f);
	}

	/** {@code PixelNorm}: {@code x / sqrt(mean(x^2 over channels) + 1e-8)}. */
	static NDArray pixelNorm(NDArray x) {
		return x.div(x.square().mean(new int[] { 1 }, true).add(1e-8f).sqrt());
	}

	static NDArray upsampleNearest(NDArray x) {
		return Upsampling.nearest(x, 2);
	}
}
