package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * rosinality's checkpoints (src/test/python/rosinality_nets.py, its model.py re-written): a training checkpoint
 * with latent_avg and a bare g_ema state dict give rosinality's images through GenIJ's NVIDIA-layout network.
 */
class RosinalityTest {

	@Test
	void aTrainingCheckpointGivesRosinalitysImages() {
		Path f = StyleGanFidelityTest.folder();
		ModelStore.Installed model = new ModelStore(f.resolve("store")).resolve(f.resolve("rosinality32.pt").toString(), "model");
		assertEquals("rosinality", model.card.parameters.get("source_layout"));
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter(); StyleGan2 g = StyleGanModels.load(model, m)) {
			assertEquals(24, g.arch.zDim);
			assertEquals(StyleGanArch.Architecture.SKIP, g.arch.architecture);
			Map<String, NDArray> expected = PythonOracle.tensors(m, f, "rosinality32");
			for (int seed : new int[] { 0, 7 }) {
				double[] z = NumpyRandom.randn(seed, 24);
				Tensors.assertClose(expected.get("img" + seed + "_psi1"), g.synthesise(g.ws(g.w(z, 0, m), 1, null),
					Noise.of("const", seed)), 1e-4, "seed " + seed);
				Tensors.assertClose(expected.get("img" + seed + "_psi07"), g.synthesise(g.ws(g.w(z, 0, m), 0.7, null),
					Noise.of("const", seed)), 1e-4, "seed " + seed + " psi 0.7");
			}
		}
	}

	@Test
	void withoutLatentAvgTheAverageWIsEstimatedAsNvidiasProjectorDoes() {
		Path f = StyleGanFidelityTest.folder();
		ModelStore.Installed model = new ModelStore(f.resolve("store")).resolve(f.resolve("rosinality32_bare.pt").toString(), "model");
		assertEquals("estimate", model.card.parameters.get("w_avg"));
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter(); StyleGan2 g = StyleGanModels.load(model, m)) {
			Map<String, NDArray> expected = PythonOracle.tensors(m, f, "rosinality32");
			Tensors.assertClose(expected.get("w_avg_estimate"), g.mapping.wAvg.value(), 1e-5, "estimated w_avg");
			Tensors.assertClose(expected.get("img0_psi07_estimate"), g.synthesise(g.ws(g.w(NumpyRandom.randn(0, 24), 0, m), 0.7,
				null), Noise.of("const", 0)), 1e-4, "psi 0.7 towards the estimate");
		}
	}
}
