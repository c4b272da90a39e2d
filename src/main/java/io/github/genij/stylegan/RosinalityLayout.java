package io.github.genij.stylegan;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.WeightTensor;

/**
 * rosinality's StyleGAN2 ({@code g_ema}: {@code style.1.weight}, {@code convs.0.conv.weight},
 * {@code to_rgbs.0.bias}, {@code noises.noise_0}, ...) renamed to NVIDIA's layout, which computes the
 * same function: the 'skip' architecture with RGB output, z_dim = w_dim = style_dim. Differences folded in:
 * rosinality scales a modulated convolution's weight by 1/√(in·k²) before demodulating (NVIDIA does not,
 * so the scale is multiplied into the weight); noise strengths and biases change shape; the FIR filters
 * NVIDIA keeps as buffers are added; {@code latent_avg} becomes {@code mapping.w_avg}.
 */
final class RosinalityLayout {

	private RosinalityLayout() {}

	/** Whether a state dict is rosinality's generator. */
	static boolean is(Map<String, WeightTensor> sd) {
		return sd.containsKey("style.1.weight") && sd.containsKey("input.input") && sd.containsKey("conv1.conv.weight");
	}

	/**
	 * NVIDIA's keys for {@code g} (rosinality's {@code g_ema}); {@code latentAvg} ({@code [w]}) or null when the
	 * file has none (then the caller estimates it).
	 */
	static Map<String, WeightTensor> toNvidia(Map<String, WeightTensor> g, WeightTensor latentAvg) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		int convs = 0;
		while (g.containsKey("convs." + convs + ".conv.weight")) convs++;
		int blocks = convs / 2 + 1; // b4 and one block per pair of convs
		WeightTensor filter = WeightTensor.ofFloats(StyleOps.resampleFilter(), new long[] { 4, 4 });
		for (int b = 0; b < blocks; b++) {
			int res = 4 << b;
			String nb = "synthesis.b" + res + ".";
			if (b == 0) out.put(nb + "const", squeezeFirst(need(g, "input.input")));
			out.put(nb + "resample_filter", filter);
			if (b == 0) layer(g, "conv1.", nb + "conv1.", 0, out, filter);
			else {
				layer(g, "convs." + (2 * b - 2) + ".", nb + "conv0.", 2 * b - 1, out, filter);
				layer(g, "convs." + (2 * b - 1) + ".", nb + "conv1.", 2 * b, out, filter);
			}
			String rgb = b == 0 ? "to_rgb1." : "to_rgbs." + (b - 1) + ".";
			out.put(nb + "torgb.weight", squeezeFirst(need(g, rgb + "conv.weight")));
			out.put(nb + "torgb.bias", flat(need(g, rgb + "bias")));
			out.put(nb + "torgb.affine.weight", need(g, rgb + "conv.modulation.weight"));
			out.put(nb + "torgb.affine.bias", need(g, rgb + "conv.modulation.bias"));
		}
		int k = 1;
		while (g.containsKey("style." + k + ".weight")) {
			out.put("mapping.fc" + (k - 1) + ".weight", g.get("style." + k + ".weight"));
			out.put("mapping.fc" + (k - 1) + ".bias", need(g, "style." + k + ".bias"));
			k++;
		}
		int wDim = (int) g.get("style.1.weight").shape()[0];
		out.put("mapping.w_avg", latentAvg != null ? flat(latentAvg) : WeightTensor.ofFloats(new float[wDim], new long[] { wDim }));
		return out;
	}

	/** One StyledConv: the weight scaled as rosinality scales it, its noise and activation bias. */
	private static void layer(Map<String, WeightTensor> g, String from, String to, int noise, Map<String, WeightTensor> out,
		WeightTensor filter)
	{
		WeightTensor w = squeezeFirst(need(g, from + "conv.weight"));
		long[] s = w.shape();
		float[] v = w.toFloats();
		float scale = (float) (1 / Math.sqrt(s[1] * s[2] * s[3]));
		for (int i = 0; i < v.length; i++) v[i] *= scale;
		out.put(to + "weight", WeightTensor.ofFloats(v, s));
		out.put(to + "noise_strength", WeightTensor.ofFloats(need(g, from + "noise.weight").toFloats(), new long[0]));
		out.put(to + "bias", need(g, from + "activate.bias"));
		out.put(to + "resample_filter", filter);
		WeightTensor n = need(g, "noises.noise_" + noise);
		long side = n.shape()[n.shape().length - 1];
		out.put(to + "noise_const", WeightTensor.ofFloats(n.toFloats(), new long[] { side, side }));
		out.put(to + "affine.weight", need(g, from + "conv.modulation.weight"));
		out.put(to + "affine.bias", need(g, from + "conv.modulation.bias"));
	}

	private static WeightTensor need(Map<String, WeightTensor> g, String key) {
		WeightTensor t = g.get(key);
		if (t == null) throw new GenIJException("This rosinality StyleGAN2 checkpoint lacks " + key + ".");
		return t;
	}

	/** Drops a leading axis of size 1 ({@code [1, O, I, k, k]} -> {@code [O, I, k, k]}). */
	private static WeightTensor squeezeFirst(WeightTensor t) {
		long[] s = t.shape();
		if (s.length < 2 || s[0] != 1) throw new GenIJException("Unexpected shape " + java.util.Arrays.toString(s) + " in a rosinality checkpoint.");
		return WeightTensor.ofFloats(t.toFloats(), java.util.Arrays.copyOfRange(s, 1, s.length));
	}

	private static WeightTensor flat(WeightTensor t) {
		return WeightTensor.ofFloats(t.toFloats(), new long[] { t.elements() });
	}
}
