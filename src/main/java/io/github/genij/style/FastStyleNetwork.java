package io.github.genij.style;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.WeightTensor;

/**
 * The feed-forward style network of Johnson et al. as pytorch/examples' fast_neural_style builds it
 * (TransformerNet): three convolutions down, five residual blocks, two up-sampling convolutions (nearest
 * x2, then conv), a 9x9 convolution out; reflection padding and affine instance norm throughout; input
 * and output RGB in 0..255.
 * <p>
 * Conditional instance norm (Dumoulin et al. 2017): when every norm's weight and bias have one row per
 * style ({@code [styles, channels]}), one network holds several styles, and a weighted blend of their rows
 * gives a blended style.
 */
final class FastStyleNetwork implements AutoCloseable {

	/** The network halves the image twice, then doubles it twice. */
	static final int MULTIPLE = 4;
	private static final String[] NORMS = norms();

	private final NDManager manager;
	private final Map<String, NDArray> w = new LinkedHashMap<>();
	private final int styles;
	private Map<String, NDArray[]> norms = new LinkedHashMap<>();

	FastStyleNetwork(Map<String, WeightTensor> stateDict, NDManager parent) {
		// PyTorch < 0.4 saved running statistics for these norms; the reference deletes them
		Map<String, WeightTensor> sd = ImportRewrites.dropRunningStats(stateDict, m -> m.matches("(res\\d+\\.)?in\\d+"));
		if (!sd.containsKey("conv1.conv2d.weight") || !sd.containsKey("res1.conv1.conv2d.weight")) {
			throw new CheckpointException("This is not a fast neural style network (pytorch/examples TransformerNet): " +
				"it lacks conv1.conv2d.weight or res1.conv1.conv2d.weight.");
		}
		manager = parent.newSubManager();
		int s = 0;
		for (Map.Entry<String, WeightTensor> e : sd.entrySet()) {
			w.put(e.getKey(), e.getValue().toNDArray(manager));
			if (e.getKey().equals("in1.weight")) s = e.getValue().shape().length == 2 ? (int) e.getValue().shape()[0] : 1;
		}
		styles = s;
		for (String n : NORMS) {
			if (!w.containsKey(n + ".weight") || !w.containsKey(n + ".bias")) {
				manager.close();
				throw new CheckpointException("The fast style network lacks " + n + ".weight or " + n + ".bias.");
			}
		}
		blend(null);
	}

	private static String[] norms() {
		String[] n = new String[15];
		int i = 0;
		for (int k = 1; k <= 5; k++) n[i++] = "in" + k;
		for (int r = 1; r <= 5; r++) {
			n[i++] = "res" + r + ".in1";
			n[i++] = "res" + r + ".in2";
		}
		return n;
	}

	/** How many styles the network holds (1 unless it uses conditional instance norm). */
	int styles() {
		return styles;
	}

	/** Chooses the style blend: one weight per style (null: the only style, or the first). */
	void blend(double[] weights) {
		if (weights != null && weights.length != styles)
			throw new GenIJException("styleweights has " + weights.length + " values; this model holds " + styles + " style(s).");
		Map<String, NDArray[]> chosen = new LinkedHashMap<>();
		try (NoGrad g = NoGrad.enter()) {
			for (String n : NORMS) {
				NDArray gamma = w.get(n + ".weight"), beta = w.get(n + ".bias");
				if (gamma.getShape().dimension() == 2) {
					double[] wt = weights != null ? weights : oneHot(0);
					NDArray mix = manager.create(toFloats(wt)).reshape(styles, 1);
					gamma = gamma.mul(mix).sum(new int[] { 0 });
					beta = beta.mul(mix).sum(new int[] { 0 });
				}
				chosen.put(n, new NDArray[] { gamma, beta });
			}
		}
		norms = chosen;
	}

	private double[] oneHot(int i) {
		double[] v = new double[styles];
		v[i] = 1;
		return v;
	}

	private static float[] toFloats(double[] d) {
		float[] f = new float[d.length];
		for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
		return f;
	}

	/** {@code [1, 3, H, W]} RGB 0..255 in, the same out, for any H and W (mirror-padded to a multiple of 4). */
	NDArray forward(NDArray x) {
		return io.github.genij.core.engine.Scoped.apply(x, this::compute);
	}

	private NDArray compute(NDArray x) {
		long h = x.getShape().get(2), wd = x.getShape().get(3);
		long ph = (MULTIPLE - h % MULTIPLE) % MULTIPLE, pw = (MULTIPLE - wd % MULTIPLE) % MULTIPLE;
		NDArray in = ph + pw == 0 ? x : Padding.reflect(x, 0, (int) pw, 0, (int) ph);
		NDArray y = relu(norm("in1", conv("conv1", in, 9, 1)));
		y = relu(norm("in2", conv("conv2", y, 3, 2)));
		y = relu(norm("in3", conv("conv3", y, 3, 2)));
		for (int r = 1; r <= 5; r++) {
			String p = "res" + r + ".";
			NDArray z = relu(norm(p + "in1", conv(p + "conv1", y, 3, 1)));
			y = norm(p + "in2", conv(p + "conv2", z, 3, 1)).add(y);
		}
		y = relu(norm("in4", conv("deconv1", Upsampling.nearest(y, 2), 3, 1)));
		y = relu(norm("in5", conv("deconv2", Upsampling.nearest(y, 2), 3, 1)));
		y = conv("deconv3", y, 9, 1);
		return ph + pw == 0 ? y : y.get(":, :, 0:" + h + ", 0:" + wd);
	}

	private NDArray conv(String layer, NDArray x, int k, int stride) {
		NDArray weight = on(w.get(layer + ".conv2d.weight"), x), bias = on(w.get(layer + ".conv2d.bias"), x);
		return Conv2d.conv2d(Padding.reflect(x, k / 2), weight, bias, new Shape(stride, stride), new Shape(0, 0),
			new Shape(1, 1)).get(0);
	}

	private NDArray norm(String n, NDArray x) {
		NDArray[] gb = norms.get(n);
		return Normalization.instanceNorm(x, on(gb[0], x), on(gb[1], x), Normalization.EPS);
	}

	private static NDArray relu(NDArray x) {
		return Activation.relu(x);
	}

	private static NDArray on(NDArray a, NDArray like) {
		return a.getDevice().equals(like.getDevice()) ? a : a.toDevice(like.getDevice(), false);
	}

	@Override
	public void close() {
		manager.close();
	}
}
