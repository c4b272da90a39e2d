package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Linear;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;
import io.github.genij.core.nn.module.Slot;

/**
 * The building blocks of NVlabs/MUNIT's and mingyuliutw/UNIT's {@code networks.py}, keyed as there: {@code Conv2dBlock}
 * (padding, convolution, norm, activation), {@code ResBlock(s)}, {@code LinearBlock}, MUNIT's own {@code LayerNorm}
 * and {@code AdaptiveInstanceNorm2d}.
 */
final class MunitParts {

	private MunitParts() {}

	/** The activations the reference offers that carry no weights. */
	enum Activ {
		RELU, LRELU, TANH, NONE;

		NDArray apply(NDArray x) {
			switch (this) {
				case RELU: return Activation.relu(x);
				case LRELU: return Activation.leakyRelu(x, 0.2f);
				case TANH: return x.tanh();
				default: return x;
			}
		}

		static Activ of(String name) {
			try {
				return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
			}
			catch (IllegalArgumentException e) {
				throw new GenIJException("activ=" + name + " is not supported: relu, lrelu, tanh or none (prelu and selu are not).");
			}
		}
	}

	/** {@code Conv2dBlock}: pad (reflect or zero), convolution, norm ({@code in}, {@code ln}, {@code adain}, {@code none}), activation. */
	static final class ConvBlock extends Module implements Layer {
		private final int padding;
		private final boolean reflect;
		private final Conv conv;
		private final Layer norm;
		private final Activ activ;

		ConvBlock(int in, int out, int kernel, int stride, int padding, String norm, Activ activ, boolean reflect) {
			this.padding = padding;
			this.reflect = reflect;
			this.activ = activ;
			Layer n;
			switch (norm) {
				case "in": n = add("norm", new InstanceNorm(out, false)); break;
				case "ln": n = add("norm", new LayerNorm(out)); break;
				case "adain": n = add("norm", new AdaIn(out)); break;
				case "none": n = null; break;
				default: throw new IllegalArgumentException(norm);
			}
			this.norm = n;
			conv = add("conv", new Conv(in, out, kernel, stride, 0, true));
		}

		AdaIn adain() {
			return norm instanceof AdaIn ? (AdaIn) norm : null;
		}

		@Override
		public NDArray forward(NDArray x) {
			NDArray padded = padding == 0 ? x : reflect ? Padding.reflect(x, padding) : x.pad(new ai.djl.ndarray.types.Shape(padding, padding, padding, padding), 0);
			NDArray y = conv.forward(padded);
			if (norm != null) y = norm.forward(y);
			return activ.apply(y);
		}
	}

	/** {@code ResBlock}: two 3×3 blocks (the second without activation) and the input added. */
	static final class ResBlock extends Module implements Layer {
		private final Sequential model;

		ResBlock(int dim, String norm, Activ activ, boolean reflect) {
			model = add("model", new Sequential());
			model.append(new ConvBlock(dim, dim, 3, 1, 1, norm, activ, reflect));
			model.append(new ConvBlock(dim, dim, 3, 1, 1, norm, Activ.NONE, reflect));
		}

		@Override
		public NDArray forward(NDArray x) {
			return model.forward(x).add(x);
		}
	}

	/** {@code ResBlocks}: {@code n} ResBlocks under {@code model}. */
	static final class ResBlocks extends Module implements Layer {
		private final Sequential model;

		ResBlocks(int n, int dim, String norm, Activ activ, boolean reflect) {
			model = add("model", new Sequential());
			for (int i = 0; i < n; i++) model.append(new ResBlock(dim, norm, activ, reflect));
		}

		@Override
		public NDArray forward(NDArray x) {
			return model.forward(x);
		}
	}

	/** A reference module whose layers sit in a Sequential named {@code model} (the encoders, the decoder, the MLP). */
	static final class Wrapped extends Module implements Layer {
		final Sequential model = add("model", new Sequential());

		@Override
		public NDArray forward(NDArray x) {
			return model.forward(x);
		}
	}

	/** {@code AdaptiveAvgPool2d(1)}: the mean over the image, a slot in the Sequential's numbering. */
	static final class GlobalMean extends Module implements Layer {
		@Override
		public NDArray forward(NDArray x) {
			long h = x.getShape().get(2), w = x.getShape().get(3);
			return Scalars.over(x.sum(new int[] { 2, 3 }, true), h * w);
		}
	}

	/**
	 * MUNIT's {@code LayerNorm}: each sample normalised by the mean and the unbiased standard deviation over all its
	 * C·H·W values, eps added to the std (not to the variance), then γ and β per channel.
	 */
	static final class LayerNorm extends Module implements Layer {
		private final Slot gamma, beta;

		LayerNorm(int channels) {
			gamma = parameter("gamma", (v, shape, r) -> { for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(); }, channels); // uniform_() as the reference
			beta = parameter("beta", Init.zeros(), channels);
		}

		@Override
		public NDArray forward(NDArray x) {
			long n = x.getShape().get(0), c = x.getShape().get(1), values = x.size() / n;
			NDArray flat = x.reshape(n, -1);
			NDArray mean = Scalars.over(flat.sum(new int[] { 1 }, true), values);
			NDArray centred = flat.sub(mean);
			NDArray std = Scalars.over(centred.square().sum(new int[] { 1 }, true), values - 1).sqrt();
			NDArray y = centred.div(std.add(1e-5f)).reshape(x.getShape());
			return y.mul(gamma.local(x).reshape(1, c, 1, 1)).add(beta.local(x).reshape(1, c, 1, 1));
		}
	}

	/**
	 * MUNIT's {@code AdaptiveInstanceNorm2d}: instance norm (biased variance, eps 1e-5) with a scale and a shift the MLP
	 * computes from the style code and hands out before each decoding ({@link #assign}). Its running statistics are
	 * kept in the files (buffers) but never change a result.
	 */
	static final class AdaIn extends Module implements Layer {
		final int channels;
		private NDArray weight, bias;

		AdaIn(int channels) {
			this.channels = channels;
			buffer("running_mean", Init.zeros(), channels);
			buffer("running_var", Init.ones(), channels);
		}

		void assign(NDArray mean, NDArray std) {
			this.bias = mean;
			this.weight = std;
		}

		@Override
		public NDArray forward(NDArray x) {
			if (weight == null) throw new IllegalStateException("AdaIN parameters were not assigned");
			return Normalization.instanceNorm(x, weight, bias, Normalization.EPS);
		}
	}

	/** {@code LinearBlock}: a linear layer ({@code fc}) and an activation. */
	static final class LinearBlock extends Module implements Layer {
		private final Linear fc;
		private final Activ activ;

		LinearBlock(int in, int out, Activ activ) {
			this.activ = activ;
			fc = add("fc", new Linear(in, out, true));
		}

		@Override
		public NDArray forward(NDArray x) {
			return activ.apply(fc.forward(x));
		}
	}
}
