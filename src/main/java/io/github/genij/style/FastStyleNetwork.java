package io.github.genij.style;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ReflectionPad;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.nn.module.Upsample;
import io.github.genij.core.tensor.Placement;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.WeightTensor;

/**
 * The feed-forward style network of Johnson et al. as pytorch/examples' fast_neural_style declares it
 * ({@code TransformerNet}): three convolutions down, five residual blocks, two up-sampling convolutions
 * (nearest x2, then conv), a 9x9 convolution out; reflection padding and affine instance norm throughout;
 * input and output RGB in 0..255.
 * <p>
 * Conditional instance norm (Dumoulin et al. 2017): when every norm's weight and bias have one row per
 * style ({@code [styles, channels]}), one network holds several styles, and a weighted blend of their rows
 * gives a blended style.
 */
final class FastStyleNetwork extends Module implements Layer {

	/** The network halves the image twice, then doubles it twice. */
	static final int MULTIPLE = 4;

	private final ConvLayer conv1, conv2, conv3, deconv1, deconv2, deconv3;
	private final StyleNorm in1, in2, in3, in4, in5;
	private final Residual[] res = new Residual[5];
	final int styles;

	/** @param styles 1 for an ordinary network, more for conditional instance norm */
	FastStyleNetwork(int styles) {
		this.styles = styles;
		conv1 = add("conv1", new ConvLayer(3, 32, 9, 1, 1));
		in1 = add("in1", new StyleNorm(32, styles));
		conv2 = add("conv2", new ConvLayer(32, 64, 3, 2, 1));
		in2 = add("in2", new StyleNorm(64, styles));
		conv3 = add("conv3", new ConvLayer(64, 128, 3, 2, 1));
		in3 = add("in3", new StyleNorm(128, styles));
		for (int r = 0; r < res.length; r++) res[r] = add("res" + (r + 1), new Residual(128, styles));
		deconv1 = add("deconv1", new ConvLayer(128, 64, 3, 1, 2));
		in4 = add("in4", new StyleNorm(64, styles));
		deconv2 = add("deconv2", new ConvLayer(64, 32, 3, 1, 2));
		in5 = add("in5", new StyleNorm(32, styles));
		deconv3 = add("deconv3", new ConvLayer(32, 3, 9, 1, 1));
	}

	/** A network loaded from a pytorch/examples checkpoint (its style count read from the norms' shapes). */
	static FastStyleNetwork load(Map<String, WeightTensor> sd, NDManager m) {
		WeightTensor gamma = sd.get("in1.weight");
		if (!sd.containsKey("conv1.conv2d.weight") || !sd.containsKey("res1.conv1.conv2d.weight") || gamma == null) {
			throw new CheckpointException("This is not a fast neural style network (pytorch/examples TransformerNet): " +
				"it lacks conv1.conv2d.weight, res1.conv1.conv2d.weight or in1.weight.");
		}
		FastStyleNetwork net = loaded(new FastStyleNetwork(gamma.shape().length == 2 ? (int) gamma.shape()[0] : 1), sd, m,
			"The fast style network");
		net.blend(null);
		return net;
	}

	/** How many styles the network holds (1 unless it uses conditional instance norm). */
	int styles() {
		return styles;
	}

	/** Chooses the style blend: one weight per style (null: the only style, or the first). */
	void blend(double[] weights) {
		if (weights != null && weights.length != styles)
			throw new GenIJException("styleweights has " + weights.length + " values; this model holds " + styles + " style(s).");
		double[] w = weights;
		if (w == null) {
			w = new double[styles];
			w[0] = 1;
		}
		for (StyleNorm n : modulesOf(StyleNorm.class)) n.blend(w);
	}

	/** {@code [1, 3, H, W]} RGB 0..255 in, the same out, for any H and W (mirror-padded to a multiple of 4). */
	@Override
	public NDArray forward(NDArray x) {
		return isTraining() ? compute(x) : Scoped.apply(x, this::compute); // training keeps the activations for autograd
	}

	/** In training: the style whose norm rows the next passes use (conditional instance norm; 0 for one style). */
	void trainStyle(int style) {
		if (style < 0 || style >= styles) throw new IllegalArgumentException("style " + style + " of " + styles);
		for (StyleNorm n : modulesOf(StyleNorm.class)) n.trainingStyle = style;
	}

	private NDArray compute(NDArray x) {
		long h = x.getShape().get(2), wd = x.getShape().get(3);
		long ph = (MULTIPLE - h % MULTIPLE) % MULTIPLE, pw = (MULTIPLE - wd % MULTIPLE) % MULTIPLE;
		NDArray in = ph + pw == 0 ? x : Padding.reflect(x, 0, (int) pw, 0, (int) ph);
		NDArray y = relu(in1.forward(conv1.forward(in)));
		y = relu(in2.forward(conv2.forward(y)));
		y = relu(in3.forward(conv3.forward(y)));
		for (Residual r : res) y = r.forward(y);
		y = relu(in4.forward(deconv1.forward(y)));
		y = relu(in5.forward(deconv2.forward(y)));
		y = deconv3.forward(y);
		return ph + pw == 0 ? y : y.get(":, :, 0:" + h + ", 0:" + wd);
	}

	private static NDArray relu(NDArray x) {
		return ai.djl.nn.Activation.relu(x);
	}

	/**
	 * The reference's {@code ConvLayer} (reflection pad then conv, key {@code conv2d}) and, with
	 * {@code upsample} above 1, its {@code UpsampleConvLayer} (nearest up-sampling first).
	 */
	static final class ConvLayer extends Module {
		private final Upsample upsample;
		private final ReflectionPad pad;
		private final Conv conv;

		ConvLayer(int in, int out, int kernel, int stride, int upsample) {
			this.upsample = upsample > 1 ? add("upsample", new Upsample(upsample)) : null;
			this.pad = add("reflection_pad", new ReflectionPad(kernel / 2));
			this.conv = add("conv2d", new Conv(in, out, kernel, stride, 0, true));
		}

		NDArray forward(NDArray x) {
			NDArray y = upsample == null ? x : upsample.forward(x);
			return conv.forward(pad.forward(y));
		}
	}

	/** The reference's {@code ResidualBlock}: x + in2(conv2(relu(in1(conv1(x))))). */
	static final class Residual extends Module {
		private final ConvLayer conv1, conv2;
		private final StyleNorm in1, in2;

		Residual(int channels, int styles) {
			conv1 = add("conv1", new ConvLayer(channels, channels, 3, 1, 1));
			in1 = add("in1", new StyleNorm(channels, styles));
			conv2 = add("conv2", new ConvLayer(channels, channels, 3, 1, 1));
			in2 = add("in2", new StyleNorm(channels, styles));
		}

		NDArray forward(NDArray x) {
			return in2.forward(conv2.forward(relu(in1.forward(conv1.forward(x))))).add(x);
		}
	}

	/**
	 * Affine instance norm; with several styles (conditional instance norm) one weight and bias row per
	 * style, blended. Running statistics that PyTorch before 0.4 saved for these norms are dropped.
	 */
	static final class StyleNorm extends Module {
		private final int styles;
		private final Slot weight, bias;
		private NDArray gamma, beta;
		/** In training, the row used (conditional instance norm): taken inside the graph, so only its row learns. */
		int trainingStyle;

		StyleNorm(int channels, int styles) {
			this.styles = styles;
			weight = styles > 1 ? parameter("weight", Init.ones(), styles, channels) : parameter("weight", Init.ones(), channels);
			bias = styles > 1 ? parameter("bias", Init.zeros(), styles, channels) : parameter("bias", Init.zeros(), channels);
		}

		@Override
		protected Map<String, WeightTensor> rewrite(String path, Map<String, WeightTensor> sd) {
			return ImportRewrites.dropRunningStats(sd, owner -> owner.equals(path));
		}

		@Override
		protected void weightsChanged() {
			gamma = null;
			beta = null;
		}

		void blend(double[] w) {
			NDArray g = weight.value(), b = bias.value();
			if (styles > 1) {
				try (NoGrad ng = NoGrad.enter()) {
					float[] f = new float[w.length];
					for (int i = 0; i < f.length; i++) f[i] = (float) w[i];
					NDArray mix = g.getManager().create(f).reshape(styles, 1);
					g = g.mul(mix).sum(new int[] { 0 });
					b = b.mul(mix).sum(new int[] { 0 });
				}
			}
			gamma = g;
			beta = b;
		}

		NDArray forward(NDArray x) {
			if (isTraining()) {
				NDArray g = weight.local(x), b = bias.local(x);
				if (styles > 1) {
					g = g.get(trainingStyle);
					b = b.get(trainingStyle);
				}
				return Normalization.instanceNorm(x, g, b, Normalization.EPS);
			}
			if (gamma == null) blend(styleOne());
			return Normalization.instanceNorm(x, Placement.on(gamma, x), Placement.on(beta, x), Normalization.EPS);
		}

		private double[] styleOne() {
			double[] w = new double[styles];
			w[0] = 1;
			return w;
		}
	}
}
