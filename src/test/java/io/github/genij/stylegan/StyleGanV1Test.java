package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.genij.core.weights.NumpyFiles;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * rosinality's first StyleGAN (style-based-gan-pytorch) through the StyleGAN commands, against its generator
 * re-implemented (src/test/python/stylegan_v1_oracle.py, small random widths, a train_step-4.model checkpoint whose
 * g_running differs from its generator): a seed's image at the file's resolution (32 px from train_step-4), the noise
 * GenIJ draws from a seed, a lower resolution in mid-transition, truncation towards a given mean style, and block-wise
 * style mixing, each within 1e-4 of the output range.
 */
class StyleGanV1Test {

	private static Path folder() {
		return PythonOracle.generate("stylegan_v1_oracle.py");
	}

	private static float[] reference(Path f, String name) {
		return ReferenceImages.reference(f, name);
	}

	private static void assertClose(float[] want, ImagePlus got, String what) {
		ReferenceImages.assertClose(want, got, what);
	}

	private static ImagePlus sample(Object... keys) throws Exception {
		var r = Commands.run(StyleGanSampleCommand.class, keys);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		return (ImagePlus) r.getOutput("result");
	}

	@Test
	void seedsResolutionsNoiseAndTruncationAreTheReferences(@TempDir Path dir) throws Exception {
		Path f = folder();
		String model = f.resolve("train_step-4.model").toString();
		assertClose(reference(f, "seed3_32"), sample("model", model, "seeds", "3", "noise", "none", "outputtype", "float32"), "seed 3, 32 px");
		// noise=const: the file has none, so it is drawn from the seed, as random is
		assertClose(reference(f, "seed5_32_random_noise"), sample("model", model, "seeds", "5", "noise", "const", "outputtype", "float32"),
			"seed 5, noise from the seed");
		assertClose(reference(f, "seed7_16_alpha"), sample("model", model, "seeds", "7", "noise", "random", "resolution", 16, "alpha", 0.35,
			"outputtype", "float32"), "seed 7, 16 px at alpha 0.35");
		float[] mean = Safetensors.read(f.resolve("seed2_64_truncated.safetensors")).get("mean").toFloats();
		double[] m = new double[mean.length];
		for (int i = 0; i < m.length; i++) m[i] = mean[i];
		Path npy = dir.resolve("mean.npy");
		NumpyFiles.writeNpy(npy, new NumpyFiles.Array(new long[] { m.length }, m));
		assertClose(reference(f, "seed2_64_truncated"), sample("model", model, "seeds", "2", "noise", "none", "resolution", 64, "truncation", 0.6,
			"truncationmean", npy.toString(), "outputtype", "float32"), "seed 2, 64 px, truncated");
	}

	/** noisefile: given maps, one per block in block order, remake the image; a file one block short is refused in one line. */
	@Test
	void aNoiseFileGivesTheMapsItHolds() throws Exception {
		Path f = folder();
		String model = f.resolve("train_step-4.model").toString();
		assertClose(reference(f, "seed5_32_random_noise"), sample("model", model, "seeds", "5", "noisefile", f.resolve("seed5_noise.npz").toString(),
			"outputtype", "float32"), "seed 5 with its noise from a file");
		var r = Commands.run(StyleGanSampleCommand.class, "model", model, "seeds", "5", "noisefile", f.resolve("short_noise.npz").toString());
		assertTrue(r.isCanceled() && r.getCancelReason().contains("more noise layers"), String.valueOf(r.getCancelReason()));
	}

	@Test
	void styleMixingTakesTheColumnsStylesForTheChosenBlocks() throws Exception {
		Path f = folder();
		var r = Commands.run(StyleGanStyleMixingCommand.class, "model", f.resolve("train_step-4.model").toString(), "rowseeds", "4", "colseeds", "9",
			"styles", "0-1", "noise", "none", "outputtype", "float32");
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		assertClose(reference(f, "seed4_mixed"), (ImagePlus) r.getOutput("result"), "row 4 with column 9's blocks 0-1");
	}

	/** Import Checkpoint recognises the file; the installed model samples at the resolution its file name gave, by name. */
	@Test
	void importedItSamplesByName(@TempDir Path dir) throws Exception {
		Path f = folder();
		System.setProperty(io.github.genij.core.weights.ModelStore.PROPERTY, dir.resolve("store").toString());
		try {
			var imported = Commands.run(io.github.genij.ij.ImportCheckpointCommand.class, "file", f.resolve("train_step-4.model").toFile(), "name", "v1");
			assertFalse(imported.isCanceled(), String.valueOf(imported.getCancelReason()));
			var card = io.github.genij.core.weights.ModelCard.read(dir.resolve("store").resolve("v1").resolve(io.github.genij.core.weights.ModelCard.FILE_NAME));
			assertEquals(StyleGanFamily.ARCHITECTURE_V1, card.architecture);
			assertClose(reference(f, "seed3_32"), sample("model", "v1", "seeds", "3", "noise", "none", "outputtype", "float32"), "seed 3, imported");
		}
		finally {
			System.clearProperty(io.github.genij.core.weights.ModelStore.PROPERTY);
		}
	}

	/** Interpolate takes it too; Project and Path Length, which need StyleGAN2's layers, say so in one line. */
	@Test
	void interpolateTakesItAndTheStyleGan2OnlyCommandsSaySo() throws Exception {
		String model = folder().resolve("train_step-4.model").toString();
		var r = Commands.run(StyleGanInterpolateCommand.class, "model", model, "seeds", "1,2", "frames", 3, "noise", "none");
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		assertEquals(32, ((ImagePlus) r.getOutput("result")).getWidth());
		var ppl = Commands.run(StyleGanPathLengthCommand.class, "model", model, "samples", 2);
		assertTrue(ppl.isCanceled() && ppl.getCancelReason().contains("works with StyleGAN2 generators"), String.valueOf(ppl.getCancelReason()));
	}

	@Test
	void aRosinalityFileWithoutItsStepNeedsTheResolution(@TempDir Path dir) throws Exception {
		Path f = folder();
		Path renamed = dir.resolve("stylegan-v1.model");
		java.nio.file.Files.copy(f.resolve("train_step-4.model"), renamed);
		var r = Commands.run(StyleGanSampleCommand.class, "model", renamed.toString(), "seeds", "1");
		assertTrue(r.isCanceled() && r.getCancelReason().contains("resolution="), String.valueOf(r.getCancelReason()));
		List<String> bad = new ArrayList<>();
		var tooLarge = Commands.run(StyleGanSampleCommand.class, "model", renamed.toString(), "seeds", "1", "resolution", 256);
		if (!(tooLarge.isCanceled() && tooLarge.getCancelReason().contains("up to 64"))) bad.add(String.valueOf(tooLarge.getCancelReason()));
		assertTrue(bad.isEmpty(), bad.toString());
		assertEquals(16, sample("model", renamed.toString(), "seeds", "1", "resolution", 16).getWidth());
	}
}
