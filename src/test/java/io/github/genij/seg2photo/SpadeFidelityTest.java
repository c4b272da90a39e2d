package io.github.genij.seg2photo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * GenIJ's SPADE generator against the oracle (src/test/python/spade_nets.py, NVlabs/SPADE's generator
 * re-written in Debian's torch): spectral norm folded with the stored, unconverged u and v, the
 * parameter-free batch norm on running statistics, label maps resized at every scale; normal, more and
 * most up-sampling, a dontcare and an instance channel, a VAE model; within 1e-4.
 */
class SpadeFidelityTest {

	static Path folder() {
		return PythonOracle.generate("spade_oracle.py");
	}

	@TestFactory
	Stream<DynamicTest> everyCaseMatchesTheReference() {
		Path f = folder();
		List<DynamicTest> tests = new ArrayList<>();
		for (PythonOracle.Case c : PythonOracle.cases(f)) tests.add(DynamicTest.dynamicTest(c.name, () -> check(f, c)));
		return tests.stream();
	}

	private static void check(Path f, PythonOracle.Case c) {
		JsonObject s = c.settings;
		Map<String, WeightTensor> sd = Weights.stateDict(f.resolve(c.name + "_net_G.pth"));
		int labels = s.get("label_nc").getAsInt() + (s.get("dontcare").getAsBoolean() ? 1 : 0) + (s.get("instance").getAsBoolean() ? 1 : 0);
		int ngf = s.get("ngf").getAsInt();
		SpadeGenerator.Depth depth = SpadeGenerator.Depth.valueOf(s.get("mode").getAsString().toUpperCase(Locale.ROOT));
		boolean vae = s.get("use_vae").getAsBoolean();
		int cells = vae ? (int) (sd.get("fc.weight").shape()[0] / (16L * ngf)) : 0;
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			SpadeGenerator gen = Module.loaded(new SpadeGenerator(labels, ngf, depth, vae ? 16 : 0, cells), sd, m, c.name))
		{
			Map<String, NDArray> t = PythonOracle.tensors(m, f, c.name);
			// PyTorch counts weight_orig as the parameter; u and v are buffers: the same count as the folded weight
			org.junit.jupiter.api.Assertions.assertEquals(s.get("parameter_count").getAsLong(), gen.parameterCount(), "PyTorch's parameters()");
			Tensors.assertClose(t.get("out"), gen.forward(t.get("semantics"), vae ? t.get("z") : null), 1e-4, c.name);
		}
	}
}
