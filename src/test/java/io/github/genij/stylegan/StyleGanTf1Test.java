package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * NVIDIA's TensorFlow StyleGAN (v1) pickles through StyleGAN Sample, against the generator as its TensorFlow code computes
 * it, written in torch on the pickle's own variables (src/test/python/stylegan_tf1_oracle.py: a small 128-px network
 * whose last block is fused, in a (G, D, Gs) pickle of version 3): the stored noise, the official truncation (psi 0.7 for
 * the first 8 layers), noise=seeded (the seed's RandomState after z, as NVIDIA's TensorFlow scripts set the noise
 * variables) and a lower stage mid-transition, each within 1e-4 of the output range.
 */
class StyleGanTf1Test {

	private static void assertCase(Path f, String name, Object... keys) throws Exception {
		ReferenceImages.assertSample(f, name, keys);
	}


	@Test
	void storedNoiseTruncationSeededNoiseAndStagesAreTheReferences() throws Exception {
		Path f = PythonOracle.generate("stylegan_tf1_oracle.py");
		String model = f.resolve("karras_small.pkl").toString();
		assertCase(f, "seed5_const", "model", model, "seeds", "5", "outputtype", "float32");
		assertCase(f, "seed6_truncated", "model", model, "seeds", "6", "truncation", 0.7, "truncationcutoff", "8", "outputtype", "float32");
		assertCase(f, "seed9_seeded", "model", model, "seeds", "9", "noise", "seeded", "outputtype", "float32");
		assertCase(f, "seed3_16_alpha", "model", model, "seeds", "3", "noise", "none", "resolution", 16, "alpha", "0.3", "outputtype", "float32");
	}

	/** Import Checkpoint recognises the pickle; the installed model gives the same image by name. */
	@Test
	void importedItSamplesByName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		Path f = PythonOracle.generate("stylegan_tf1_oracle.py");
		System.setProperty(io.github.genij.core.weights.ModelStore.PROPERTY, dir.resolve("store").toString());
		try {
			var imported = Commands.run(io.github.genij.ij.ImportCheckpointCommand.class, "file", f.resolve("karras_small.pkl").toFile(), "name", "tf1");
			assertFalse(imported.isCanceled(), String.valueOf(imported.getCancelReason()));
			assertCase(f, "seed5_const", "model", "tf1", "seeds", "5", "outputtype", "float32");
		}
		finally {
			System.clearProperty(io.github.genij.core.weights.ModelStore.PROPERTY);
		}
	}
}
