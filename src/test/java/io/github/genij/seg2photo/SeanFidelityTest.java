package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * GenIJ's SEAN generator against the oracle (src/test/python/sean_nets.py, ZPdesu/SEAN's generator re-written in
 * Debian's torch): the reference's test path (a style image over its own labels), a style image of another size with
 * its own labels (a label absent from it gets a zero code), codes given per label, and per-pixel noise; within 1e-4.
 */
class SeanFidelityTest {

	static Path folder() {
		return PythonOracle.generate("sean_oracle.py");
	}

	@Test
	void stylesCodesAndNoiseGiveTheReferenceImages() {
		Path f = folder();
		Map<String, WeightTensor> sd = Weights.stateDict(f.resolve("sean_net_G.pth"));
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			SeanGenerator gen = Module.loaded(SeanGenerator.of(sd, null), sd, m, "SEAN"))
		{
			assertEquals(5, gen.labelChannels);
			assertEquals(8, gen.styleLength);
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "sean");
			int[] labels = ints(t.get("labels"));
			NDArray seg = oneHot(m, labels, 5, 64, 64);

			float[][] own = gen.styleCodes(styleInput(t.get("style")), labels);
			assertCodes(t.get("codes_own"), own, "own codes");
			assertNull(own[4], "label 4 is not in the image");
			Tensors.assertClose(t.get("out_own"), gen.forward(seg, own, null), 1e-4, "the reference's test path");

			float[][] other = gen.styleCodes(styleInput(t.get("other_style")), ints(t.get("style_labels")));
			assertCodes(t.get("codes_other"), other, "codes of a 40x48 style image");
			assertNull(other[2], "label 2 is not in the style image");
			Tensors.assertClose(t.get("out_other"), gen.forward(seg, other, null), 1e-4, "another style image and its labels");

			float[] given = t.get("codes").toFloatArray();
			float[][] codes = new float[5][8];
			for (int j = 0; j < 5; j++) System.arraycopy(given, j * 8, codes[j], 0, 8);
			Tensors.assertClose(t.get("out_codes"), gen.forward(seg, codes, null), 1e-4, "codes per label");

			Deque<NDArray> maps = new ArrayDeque<>();
			for (int i = 0; t.containsKey("noise" + i); i++) maps.add(t.get("noise" + i).transpose(0, 3, 2, 1)); // [1, W, H, 1] -> [1, 1, H, W]
			NDArray noisy = gen.forward(seg, codes, x -> {
				NDArray map = maps.removeFirst();
				assertEquals(x.getShape().get(2), map.getShape().get(2), "noise map size");
				return map;
			});
			assertEquals(0, maps.size(), "every ACE took its map");
			Tensors.assertClose(t.get("out_noise"), noisy, 1e-4, "per-pixel noise");
		}
	}

	static NDArray styleInput(NDArray levels) {
		return levels.div(255f).sub(0.5f).div(0.5f);
	}

	static int[] ints(NDArray a) {
		float[] v = a.toFloatArray();
		int[] out = new int[v.length];
		for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
		return out;
	}

	static NDArray oneHot(NDManager m, int[] labels, int channels, int h, int w) {
		float[] v = new float[channels * h * w];
		for (int i = 0; i < labels.length; i++) v[labels[i] * h * w + i] = 1;
		return m.create(v, new Shape(1, channels, h, w));
	}

	private static void assertCodes(NDArray expected, float[][] codes, String what) {
		float[] e = expected.toFloatArray();
		int l = codes.length, n = e.length / l;
		for (int j = 0; j < l; j++)
			for (int c = 0; c < n; c++)
				assertEquals(e[j * n + c], codes[j] == null ? 0f : codes[j][c], 1e-5, what + ": label " + j + " feature " + c);
	}
}
