package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * noise=seeded draws what NVIDIA's TensorFlow-era run_generator.py sets its noise variables to: the seed's own numpy
 * RandomState, z first (an odd length too, where numpy's cached second Gaussian matters), then one map per layer.
 */
class SeededNoiseTest {

	@Test
	void theMapsFollowZInTheSeedsOwnStream(@TempDir Path dir) throws Exception {
		PythonOracle.requireTorch();
		int[] sizes = { 4, 8, 8, 16, 16 };
		for (int zDim : new int[] { 512, 7 }) {
			long seed = 6600 + zDim;
			Files.writeString(dir.resolve("settings.json"), "{\"seed\": " + seed + ", \"zdim\": " + zDim + ", \"sizes\": [4, 8, 8, 16, 16]}");
			PythonOracle.run("numpy_seeded_noise.py", dir);
			Map<String, WeightTensor> want = Safetensors.read(dir.resolve("noise.safetensors"));
			double[] z = NumpyRandom.randn(seed, zDim);
			float[] zWant = want.get("z").toFloats();
			for (int i = 0; i < zDim; i++) assertEquals(zWant[i], z[i], 1e-6, "z " + i);
			Noise noise = Noise.seeded(seed, zDim);
			try (NDManager m = GenIJEngine.get().newBaseManager()) {
				NDArray like = m.zeros(new ai.djl.ndarray.types.Shape(1));
				for (int k = 0; k < sizes.length; k++) {
					float[] got = noise.draw(like, sizes[k]).toFloatArray(), map = want.get("map_" + k).toFloats();
					for (int i = 0; i < map.length; i++) assertEquals(map[i], got[i], 1e-6, "zdim " + zDim + ", map " + k + " value " + i);
				}
			}
		}
	}
}
