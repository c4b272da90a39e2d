package io.github.genij.stylegan;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.TfNetwork;
import io.github.genij.core.weights.WeightTensor;

/**
 * ProGAN's Theano-era generators (a {@code build_func_spec} and a list of {@code param_values}) named as its TensorFlow
 * code names them, as NVIDIA's {@code legacy.py} does: per layer the weight, then (with {@code use_wscale}) its scale,
 * then the bias; the weight times scale / he_std; convolution kernels from Theano's [out, in, k, k] to HWIO and
 * flipped (Theano convolves), the dense layer's [nf, latent, 4, 4] to [latent, nf·16], the 1x1 RGB layers given two
 * leading axes. The spec's up-sampling is never fused.
 */
final class ProGanTheanoLayout {

	private ProGanTheanoLayout() {}

	static Map<String, WeightTensor> variables(TfNetwork g) {
		Object func = g.legacySpec.get("func");
		if (!"G_paper".equals(func) && !"G_progressive_8".equals(func)) {
			throw new GenIJException("This Theano-era network is " + func + ", not ProGAN's generator (G_paper).");
		}
		int resolution = g.legacySpec.get("resolution") instanceof Number ? ((Number) g.legacySpec.get("resolution")).intValue() : 32;
		boolean wscale = !Boolean.FALSE.equals(g.legacySpec.get("use_wscale"));
		int log2 = Integer.numberOfTrailingZeros(resolution);
		Iterator<WeightTensor> it = g.legacyParams.iterator();
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		double relu = Math.sqrt(2);
		layer(out, "4x4/Dense", relu / 4, dense(next(it)), it, wscale);
		layer(out, "4x4/Conv", relu, kernel(next(it)), it, wscale);
		for (int res = 3; res <= log2; res++) {
			String r = (1 << res) + "x" + (1 << res);
			layer(out, r + "/Conv0", relu, kernel(next(it)), it, wscale);
			layer(out, r + "/Conv1", relu, kernel(next(it)), it, wscale);
		}
		for (int lod = 0; lod < log2 - 1; lod++) {
			WeightTensor w = next(it);
			layer(out, "ToRGB_lod" + lod, 1, WeightTensor.ofFloats(w.toFloats(), new long[] { 1, 1, w.shape()[0], w.shape()[1] }), it, wscale);
		}
		return out;
	}

	private static WeightTensor next(Iterator<WeightTensor> it) {
		if (!it.hasNext()) throw new GenIJException("This Theano-era ProGAN holds fewer parameters than its resolution needs.");
		return it.next();
	}

	/** legacy.py's {@code layer}: weight (times its scale / he_std), then bias. */
	private static void layer(Map<String, WeightTensor> out, String name, double gain, WeightTensor w, Iterator<WeightTensor> it, boolean wscale) {
		if (wscale) {
			long fanIn = 1;
			for (int i = 0; i < w.shape().length - 1; i++) fanIn *= w.shape()[i];
			double factor = next(it).toFloats()[0] / (gain / Math.sqrt(fanIn));
			float[] v = w.toFloats();
			for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * factor);
			w = WeightTensor.ofFloats(v, w.shape());
		}
		out.put(name + "/weight", w);
		out.put(name + "/bias", next(it));
	}

	/** Theano's [out, in, k, k] as HWIO flipped in space: {@code transpose(2, 3, 1, 0)[::-1, ::-1]}. */
	private static WeightTensor kernel(WeightTensor t) {
		long[] s = t.shape();
		int o = (int) s[0], in = (int) s[1], kh = (int) s[2], kw = (int) s[3];
		float[] src = t.toFloats(), dst = new float[src.length];
		for (int y = 0; y < kh; y++)
			for (int x = 0; x < kw; x++)
				for (int i = 0; i < in; i++)
					for (int c = 0; c < o; c++) dst[((y * kw + x) * in + i) * o + c] = src[((c * in + i) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)];
		return WeightTensor.ofFloats(dst, new long[] { kh, kw, in, o });
	}

	/** The first layer's [nf, latent, 4, 4] as {@code transpose(1, 0, 2, 3)} flattened to [latent, nf·16]. */
	private static WeightTensor dense(WeightTensor t) {
		long[] s = t.shape();
		int nf = (int) s[0], latent = (int) s[1], kk = (int) (s[2] * s[3]);
		float[] src = t.toFloats(), dst = new float[src.length];
		for (int l = 0; l < latent; l++)
			for (int f = 0; f < nf; f++)
				for (int k = 0; k < kk; k++) dst[(l * nf + f) * kk + k] = src[(f * latent + l) * kk + k];
		return WeightTensor.ofFloats(dst, new long[] { latent, (long) nf * kk });
	}
}
