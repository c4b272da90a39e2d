package io.github.genij.stylegan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;

/**
 * GenIJ's trained StyleGAN2 in rosinality's checkpoint layout ({@code {"g", "d", "g_ema", "latent_avg"}}, as its
 * {@code train.py} saves them, without the optimiser states): the inverse of {@link RosinalityLayout}. Its
 * {@code model.py} loads {@code g_ema} and {@code d} with strict=True, with its own widths (for GenIJ's narrower
 * models, with its {@code channels} dictionary set to the card's). rosinality's networks are RGB: a grey model is
 * written with its ToRGB repeated over R, G and B (R = G = B = the grey image) and its discriminator's first weights
 * spread over the three (a third each), which computes the same functions.
 */
final class RosinalityExport {

	private RosinalityExport() {}

	/** Writes the checkpoint: generators in NVIDIA's keys (GenIJ's), the discriminator in rosinality's. */
	static void write(Path file, Map<String, WeightTensor> ema, Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("g", generator(generator));
		out.put("d", discriminator(discriminator));
		out.put("g_ema", generator(ema));
		out.put("latent_avg", ema.get("mapping.w_avg"));
		TorchCheckpointWriter.writeCheckpoint(file, out);
	}

	/** rosinality's {@code Generator} state dict for a 'skip' generator in NVIDIA's keys. */
	static Map<String, WeightTensor> generator(Map<String, WeightTensor> nv) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		for (int k = 0; nv.containsKey("mapping.fc" + k + ".weight"); k++) {
			out.put("style." + (k + 1) + ".weight", nv.get("mapping.fc" + k + ".weight"));
			out.put("style." + (k + 1) + ".bias", nv.get("mapping.fc" + k + ".bias"));
		}
		out.put("input.input", withLeadingOne(nv.get("synthesis.b4.const")));
		layer(nv, "synthesis.b4.conv1.", "conv1.", false, out);
		toRgb(nv, "synthesis.b4.torgb.", "to_rgb1.", false, out);
		int noise = 0;
		out.put("noises.noise_" + noise++, noiseMap(nv.get("synthesis.b4.conv1.noise_const")));
		int j = 0;
		for (int res = 8; nv.containsKey("synthesis.b" + res + ".conv1.weight"); res *= 2, j++) {
			String b = "synthesis.b" + res + ".";
			layer(nv, b + "conv0.", "convs." + (2 * j) + ".", true, out);
			layer(nv, b + "conv1.", "convs." + (2 * j + 1) + ".", false, out);
			toRgb(nv, b + "torgb.", "to_rgbs." + j + ".", true, out);
			out.put("noises.noise_" + noise++, noiseMap(nv.get(b + "conv0.noise_const")));
			out.put("noises.noise_" + noise++, noiseMap(nv.get(b + "conv1.noise_const")));
		}
		return out;
	}

	/** One StyledConv: the weight divided by rosinality's 1/√(in·k²) (which it multiplies in), noise, activation bias. */
	private static void layer(Map<String, WeightTensor> nv, String from, String to, boolean upsample, Map<String, WeightTensor> out) {
		WeightTensor w = nv.get(from + "weight");
		long[] s = w.shape();
		float[] v = w.toFloats();
		float scale = (float) Math.sqrt((double) s[1] * s[2] * s[3]);
		for (int i = 0; i < v.length; i++) v[i] *= scale;
		out.put(to + "conv.weight", WeightTensor.ofFloats(v, prepend(s)));
		out.put(to + "conv.modulation.weight", nv.get(from + "affine.weight"));
		out.put(to + "conv.modulation.bias", nv.get(from + "affine.bias"));
		if (upsample) out.put(to + "conv.blur.kernel", upsampleKernel());
		out.put(to + "noise.weight", WeightTensor.ofFloats(nv.get(from + "noise_strength").toFloats(), new long[] { 1 }));
		out.put(to + "activate.bias", nv.get(from + "bias"));
	}

	/** ToRGB: rosinality's weight {@code [1, 3, in, 1, 1]} (its scale 1/√in is NVIDIA's weight gain) and bias {@code [1, 3, 1, 1]}. */
	private static void toRgb(Map<String, WeightTensor> nv, String from, String to, boolean upsample, Map<String, WeightTensor> out) {
		WeightTensor w = nv.get(from + "weight"), b = nv.get(from + "bias");
		long[] s = w.shape();
		long in = s[1];
		out.put(to + "conv.weight", WeightTensor.ofFloats(rgb(w.toFloats(), (int) s[0], (int) in), new long[] { 1, 3, in, 1, 1 }));
		out.put(to + "conv.modulation.weight", nv.get(from + "affine.weight"));
		out.put(to + "conv.modulation.bias", nv.get(from + "affine.bias"));
		out.put(to + "bias", WeightTensor.ofFloats(rgb(b.toFloats(), (int) s[0], 1), new long[] { 1, 3, 1, 1 }));
		if (upsample) out.put(to + "upsample.kernel", upsampleKernel());
	}

	/** Rows of {@code per} values for 1 or 3 channels as 3 rows (a grey row repeated). */
	private static float[] rgb(float[] v, int channels, int per) {
		if (channels == 3) return v;
		if (channels != 1) throw new IllegalArgumentException("rosinality's layout is RGB; this model has " + channels + " channels");
		float[] out = new float[3 * per];
		for (int c = 0; c < 3; c++) System.arraycopy(v, 0, out, c * per, per);
		return out;
	}

	/** rosinality's {@code Discriminator}: GenIJ's keys are its own; a grey model's first 1×1 weights become RGB (a third each). */
	static Map<String, WeightTensor> discriminator(Map<String, WeightTensor> d) {
		Map<String, WeightTensor> out = new LinkedHashMap<>(d);
		WeightTensor first = d.get("convs.0.0.weight");
		long[] s = first.shape();
		if (s[1] == 1) {
			float[] v = first.toFloats(), rgb = new float[v.length * 3];
			for (int o = 0; o < s[0]; o++)
				for (int c = 0; c < 3; c++) rgb[o * 3 + c] = v[o] / 3;
			out.put("convs.0.0.weight", WeightTensor.ofFloats(rgb, new long[] { s[0], 3, 1, 1 }));
		}
		return out;
	}

	/** rosinality's up-sampling blur kernel: the [1, 3, 3, 1] outer product normalised, × 4. */
	private static WeightTensor upsampleKernel() {
		float[] f = StyleOps.resampleFilter();
		for (int i = 0; i < f.length; i++) f[i] *= 4;
		return WeightTensor.ofFloats(f, new long[] { 4, 4 });
	}

	private static WeightTensor noiseMap(WeightTensor n) {
		long side = n.shape()[n.shape().length - 1];
		return WeightTensor.ofFloats(n.toFloats(), new long[] { 1, 1, side, side });
	}

	private static WeightTensor withLeadingOne(WeightTensor t) {
		return WeightTensor.ofFloats(t.toFloats(), prepend(t.shape()));
	}

	private static long[] prepend(long[] s) {
		long[] r = new long[s.length + 1];
		r[0] = 1;
		System.arraycopy(s, 0, r, 1, s.length);
		return r;
	}
}
