package io.github.genij.stylegan;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.WeightTensor;

/**
 * NVIDIA's TensorFlow StyleGAN2 variables (the EMA generator {@code Gs} of a config-f pickle:
 * {@code mapping/Dense0/weight}, {@code synthesis/64x64/Conv0_up/weight}, {@code synthesis/noise5},
 * {@code dlatent_avg}, ...) renamed and reshaped to NVIDIA's PyTorch layout, as its {@code legacy.py}
 * documents: dense weights transposed, convolution kernels from HWIO to OIHW (the up-sampling and skip
 * ones also flipped in space), {@code mod_bias} + 1, the constant and noise maps without their leading
 * axes.
 */
final class TensorFlowLayout {

	private TensorFlowLayout() {}

	static Map<String, WeightTensor> toNvidia(Map<String, WeightTensor> v, int resolution) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		WeightTensor filter = WeightTensor.ofFloats(StyleOps.resampleFilter(), new long[] { 4, 4 });
		for (int r = 4; r <= resolution; r *= 2) {
			String tf = "synthesis/" + r + "x" + r + "/", nb = "synthesis.b" + r + ".";
			int log = Integer.numberOfTrailingZeros(r);
			out.put(nb + "resample_filter", filter);
			if (r == 4) {
				out.put(nb + "const", drop(need(v, tf + "Const/const"), 1));
				layer(v, tf + "Conv/", nb + "conv1.", "synthesis/noise0", false, out, filter);
			}
			else {
				layer(v, tf + "Conv0_up/", nb + "conv0.", "synthesis/noise" + (2 * log - 5), true, out, filter);
				layer(v, tf + "Conv1/", nb + "conv1.", "synthesis/noise" + (2 * log - 4), false, out, filter);
				if (v.containsKey(tf + "Skip/weight")) out.put(nb + "skip.weight", kernel(v.get(tf + "Skip/weight"), true));
				if (v.containsKey(tf + "Skip/weight")) out.put(nb + "skip.resample_filter", filter);
			}
			if (v.containsKey(tf + "ToRGB/weight")) {
				out.put(nb + "torgb.weight", kernel(v.get(tf + "ToRGB/weight"), false));
				out.put(nb + "torgb.bias", need(v, tf + "ToRGB/bias"));
				out.put(nb + "torgb.affine.weight", transpose(need(v, tf + "ToRGB/mod_weight")));
				out.put(nb + "torgb.affine.bias", plusOne(need(v, tf + "ToRGB/mod_bias")));
			}
		}
		for (int i = 0; v.containsKey("mapping/Dense" + i + "/weight"); i++) {
			out.put("mapping.fc" + i + ".weight", transpose(v.get("mapping/Dense" + i + "/weight")));
			out.put("mapping.fc" + i + ".bias", need(v, "mapping/Dense" + i + "/bias"));
		}
		if (v.containsKey("mapping/LabelEmbed/weight")) {
			out.put("mapping.embed.weight", transpose(v.get("mapping/LabelEmbed/weight")));
			out.put("mapping.embed.bias", need(v, "mapping/LabelEmbed/bias"));
		}
		out.put("mapping.w_avg", need(v, "dlatent_avg"));
		return out;
	}

	private static void layer(Map<String, WeightTensor> v, String tf, String to, String noise, boolean flip,
		Map<String, WeightTensor> out, WeightTensor filter)
	{
		out.put(to + "weight", kernel(need(v, tf + "weight"), flip));
		out.put(to + "bias", need(v, tf + "bias"));
		out.put(to + "resample_filter", filter);
		out.put(to + "noise_const", drop(drop(need(v, noise), 1), 1));
		out.put(to + "noise_strength", WeightTensor.ofFloats(need(v, tf + "noise_strength").toFloats(), new long[0]));
		out.put(to + "affine.weight", transpose(need(v, tf + "mod_weight")));
		out.put(to + "affine.bias", plusOne(need(v, tf + "mod_bias")));
	}

	private static WeightTensor need(Map<String, WeightTensor> v, String name) {
		WeightTensor t = v.get(name);
		if (t == null) throw new GenIJException("This TensorFlow StyleGAN2 pickle lacks the variable " + name + ".");
		return t;
	}

	/** HWIO → OIHW ({@code transpose(3, 2, 0, 1)}), flipped in space first when asked ({@code [::-1, ::-1]}). */
	private static WeightTensor kernel(WeightTensor t, boolean flip) {
		long[] s = t.shape();
		if (s.length != 4) throw new GenIJException("A TensorFlow kernel of shape " + java.util.Arrays.toString(s) + ".");
		int kh = (int) s[0], kw = (int) s[1], in = (int) s[2], o = (int) s[3];
		float[] src = t.toFloats(), dst = new float[src.length];
		for (int y = 0; y < kh; y++)
			for (int x = 0; x < kw; x++)
				for (int i = 0; i < in; i++)
					for (int c = 0; c < o; c++) {
						int sy = flip ? kh - 1 - y : y, sx = flip ? kw - 1 - x : x;
						dst[((c * in + i) * kh + y) * kw + x] = src[((sy * kw + sx) * in + i) * o + c];
					}
		return WeightTensor.ofFloats(dst, new long[] { o, in, kh, kw });
	}

	private static WeightTensor transpose(WeightTensor t) {
		long[] s = t.shape();
		int r = (int) s[0], c = (int) s[1];
		float[] src = t.toFloats(), dst = new float[src.length];
		for (int i = 0; i < r; i++)
			for (int j = 0; j < c; j++) dst[j * r + i] = src[i * c + j];
		return WeightTensor.ofFloats(dst, new long[] { c, r });
	}

	private static WeightTensor plusOne(WeightTensor t) {
		float[] v = t.toFloats();
		for (int i = 0; i < v.length; i++) v[i] += 1;
		return WeightTensor.ofFloats(v, t.shape());
	}

	/** Drops a leading axis of size 1 (the batch axis of TF's constant and noise variables). */
	private static WeightTensor drop(WeightTensor t, int size) {
		long[] s = t.shape();
		if (s.length < 2 || s[0] != size) throw new GenIJException("Unexpected shape " + java.util.Arrays.toString(s) + " in a TensorFlow pickle.");
		return WeightTensor.ofFloats(t.toFloats(), java.util.Arrays.copyOfRange(s, 1, s.length));
	}
}
