package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * GenIJ's StyleGAN2 against the oracle (src/test/python/stylegan_nets.py, NVIDIA's generator re-written
 * in Debian's torch) on random weights: the same z, truncation, cutoff, noise mode and class give the same
 * image within 1e-4 of its range; numpy's Gaussian for seeds 0..999 is reproduced bit for bit.
 */
class StyleGanFidelityTest {

	static Path folder() {
		return PythonOracle.generate("stylegan_oracle.py");
	}

	@Test
	void seedsGiveNumpysLatentsBitForBit() {
		Path f = folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			double[] expected = PythonOracle.tensors(m, f, "seeds").get("z").toDoubleArray();
			for (int seed = 0; seed < 1000; seed++) {
				double[] z = NumpyRandom.randn(seed, 512);
				for (int i = 0; i < 512; i++) {
					if (Double.doubleToLongBits(z[i]) != Double.doubleToLongBits(expected[seed * 512 + i]))
						assertEquals(expected[seed * 512 + i], z[i], 0.0, "seed " + seed + " value " + i);
				}
			}
		}
	}

	@TestFactory
	Stream<DynamicTest> everyCaseMatchesTheReference() {
		Path f = folder();
		List<DynamicTest> tests = new ArrayList<>();
		for (PythonOracle.Case c : PythonOracle.cases(f)) tests.add(DynamicTest.dynamicTest(c.name, () -> check(f, c)));
		return tests.stream();
	}

	private static void check(Path f, PythonOracle.Case c) {
		JsonObject kwargs = c.settings.getAsJsonObject("kwargs");
		Float clamp = kwargs.has("conv_clamp") ? kwargs.get("conv_clamp").getAsFloat() : null;
		int classIndex = c.settings.get("class").isJsonNull() ? 0 : c.settings.get("class").getAsInt();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter();
			StyleGan2 g = StyleGan2.load(Weights.stateDict(f.resolve(c.name + ".pth")), clamp, m))
		{
			Map<String, NDArray> expected = PythonOracle.tensors(m, f, c.name);
			assertEquals(c.settings.get("num_ws").getAsInt(), g.numWs(), "num_ws");
			assertEquals(g.numWs(), g.arch.numWs(), "num_ws from the architecture");
			assertEquals(c.settings.get("parameter_count").getAsLong(), g.parameterCount(), "PyTorch's parameters()");
			assertEquals(c.settings.get("buffer_count").getAsLong(), g.bufferCount(), "PyTorch's buffers()");
			for (JsonElement seedJson : c.settings.getAsJsonArray("seeds")) {
				int seed = seedJson.getAsInt();
				double[] z = NumpyRandom.randn(seed, g.arch.zDim);
				for (JsonElement sj : c.settings.getAsJsonArray("settings")) {
					JsonObject s = sj.getAsJsonObject();
					Integer cutoff = s.has("cutoff") ? s.get("cutoff").getAsInt() : null;
					NDArray ws = g.ws(g.w(z, classIndex, m), s.get("psi").getAsDouble(), cutoff);
					NDArray img = g.synthesise(ws, Noise.of(s.get("noise").getAsString(), seed));
					Tensors.assertClose(expected.get("img" + seed + "_" + s.get("name").getAsString()), img, 1e-4,
						c.name + " seed " + seed + " " + s.get("name").getAsString());
				}
			}
			if (!c.settings.get("mix").isJsonNull()) {
				JsonObject mix = c.settings.getAsJsonObject("mix");
				NDArray rows = g.ws(g.w(NumpyRandom.randn(mix.get("row").getAsInt(), g.arch.zDim), 0, m), 1, null);
				NDArray cols = g.ws(g.w(NumpyRandom.randn(mix.get("col").getAsInt(), g.arch.zDim), 0, m), 1, null);
				List<Integer> styles = new ArrayList<>();
				for (JsonElement e : mix.getAsJsonArray("styles")) styles.add(e.getAsInt());
				NDArray ws = StyleMixing.mix(rows, cols, styles);
				Tensors.assertClose(expected.get("mix_ws"), ws, 1e-5, c.name + " mixed ws");
				Tensors.assertClose(expected.get("mix"), g.synthesise(ws, Noise.of("const", 0)), 1e-4, c.name + " mix");
			}
		}
	}
}
