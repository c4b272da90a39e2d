package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * pytorch_GAN_zoo's PGAN through the StyleGAN commands, against its GNet re-implemented (src/test/python/pgan_oracle.py:
 * a ProgressiveGAN checkpoint with a pickled config at alpha 0.25, avgG differing from netG): the file's own stage by
 * default (its config's alpha, turned into the newest scale's share 0.75), fully grown, a lower stage mid-transition, and
 * the smallest stages, each within 1e-4 of the output range; keys ProGAN cannot honour are refused in one line.
 */
class ProGanTest {

	private static Path folder() {
		return PythonOracle.generate("pgan_oracle.py");
	}

	private static void assertCase(Path f, String name, Object... keys) throws Exception {
		ReferenceImages.assertSample(f, name, keys);
	}


	@Test
	void everyStageAndTransitionIsTheReferences() throws Exception {
		Path f = folder();
		String model = f.resolve("pgan.pth").toString();
		assertCase(f, "seed1_default", "model", model, "seeds", "1", "outputtype", "float32");
		assertCase(f, "seed2_grown", "model", model, "seeds", "2", "alpha", "1", "outputtype", "float32");
		assertCase(f, "seed3_16_mid", "model", model, "seeds", "3", "resolution", 16, "alpha", "0.4", "outputtype", "float32");
		assertCase(f, "seed4_8", "model", model, "seeds", "4", "resolution", 8, "outputtype", "float32");
		assertCase(f, "seed5_4", "model", model, "seeds", "5", "resolution", 4, "outputtype", "float32");
	}

	/** Import Checkpoint recognises the zoo's file and keeps its config's alpha for the installed model. */
	@Test
	void importedItSamplesByName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		Path f = folder();
		System.setProperty(io.github.genij.core.weights.ModelStore.PROPERTY, dir.resolve("store").toString());
		try {
			var imported = Commands.run(io.github.genij.ij.ImportCheckpointCommand.class, "file", f.resolve("pgan.pth").toFile(), "name", "pgan");
			assertFalse(imported.isCanceled(), String.valueOf(imported.getCancelReason()));
			assertCase(f, "seed1_default", "model", "pgan", "seeds", "1", "outputtype", "float32");
		}
		finally {
			System.clearProperty(io.github.genij.core.weights.ModelStore.PROPERTY);
		}
	}

	@Test
	void keysProGanCannotHonourAreRefused() throws Exception {
		String model = folder().resolve("pgan.pth").toString();
		var truncated = Commands.run(StyleGanSampleCommand.class, "model", model, "seeds", "1", "truncation", 0.7);
		assertTrue(truncated.isCanceled() && truncated.getCancelReason().contains("truncation"), String.valueOf(truncated.getCancelReason()));
		var mixed = Commands.run(StyleGanStyleMixingCommand.class, "model", model, "rowseeds", "1", "colseeds", "2");
		assertTrue(mixed.isCanceled() && mixed.getCancelReason().contains("ProGAN"), String.valueOf(mixed.getCancelReason()));
		var noisy = Commands.run(StyleGanSampleCommand.class, "model", model, "seeds", "1", "noise", "random");
		assertTrue(noisy.isCanceled() && noisy.getCancelReason().contains("noise"), String.valueOf(noisy.getCancelReason()));
		var tooLarge = Commands.run(StyleGanSampleCommand.class, "model", model, "seeds", "1", "resolution", 64);
		assertTrue(tooLarge.isCanceled() && tooLarge.getCancelReason().contains("up to 32"), String.valueOf(tooLarge.getCancelReason()));
	}
}
