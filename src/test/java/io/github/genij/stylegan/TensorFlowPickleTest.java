package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * NVIDIA's TensorFlow-era pickles, built by src/test/python/nvidia_snapshot.py with their structure (a tuple of
 * dnnlib.tflib.network.Network objects whose variables are numpy arrays, named as legacy.py reads them) from a
 * generator whose output the oracle knows: the converted weights equal that generator's, and so does the image.
 */
class TensorFlowPickleTest {

	@Test
	void gsIsConvertedToTheGeneratorItCameFrom() {
		Path f = StyleGanFidelityTest.folder();
		TorchCheckpoint ckpt = TorchCheckpoint.read(f.resolve("skip32_tf.pkl"));
		assertEquals(3, ckpt.tensorflowNetworks().size());
		ModelFamily.Converted c = ArchitectureDetector.convert(ckpt);
		assertNotNull(c);
		assertEquals("tensorflow", c.detection.parameters.get("source_layout"));
		Map<String, WeightTensor> expected = Weights.stateDict(f.resolve("skip32.pth"));
		assertEquals(new java.util.TreeSet<>(expected.keySet()), new java.util.TreeSet<>(c.stateDict.keySet()), "the same keys");
		for (String k : expected.keySet())
			assertArrayEquals(expected.get(k).toFloats(), c.stateDict.get(k).toFloats(), 0f, k);
	}

	@Test
	void theImageIsTheOraclesForTheSameSeed() {
		Path f = StyleGanFidelityTest.folder();
		ModelStore.Installed model = new ModelStore(f.resolve("store")).resolve(f.resolve("skip32_tf.pkl").toString(), "model");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter(); StyleGan2 g = StyleGanModels.load(model, m)) {
			Tensors.assertClose(PythonOracle.tensors(m, f, "skip32").get("img1_psi07_cut2_const"),
				g.synthesise(g.ws(g.w(NumpyRandom.randn(1, g.arch.zDim), 0, m), 0.7, 2), Noise.of("const", 1)), 1e-4, "TF pickle");
		}
	}
}
