package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.Tensors;

/**
 * NVIDIA's network snapshots (plain pickles of persistent modules, written by src/test/python/nvidia_snapshot.py
 * with the reference's structure): G_ema is read, not G; conv_clamp comes from the init arguments; the image
 * equals the oracle's; files that ask to run something or hold foreign modules are refused and run nothing.
 */
class NvidiaSnapshotTest {

	@Test
	void gEmaIsReadWithItsInitArguments() {
		Path f = StyleGanFidelityTest.folder();
		TorchCheckpoint ckpt = TorchCheckpoint.read(f.resolve("skip32.pkl"));
		assertEquals("pickle", ckpt.format());
		ModelFamily.Converted c = ArchitectureDetector.convert(ckpt);
		assertNotNull(c, "recognised as a StyleGAN2 snapshot");
		assertEquals("stylegan", c.detection.family);
		Map<String, WeightTensor> expected = Weights.stateDict(f.resolve("skip32.pth"));
		assertEquals(expected.keySet(), c.stateDict.keySet(), "G_ema's state dict, keys in PyTorch's order");
		for (String k : expected.keySet())
			assertArrayEquals(expected.get(k).bytes(), c.stateDict.get(k).bytes(), k + " (G_ema, not G)");
		assertFalse(c.detection.parameters.containsKey("conv_clamp"));
		assertEquals(512L, ckpt.values().get("G_ema._init_kwargs.synthesis_kwargs.channel_base"));
	}

	@Test
	void aSnapshotWithAClampGivesTheOraclesImage() {
		Path f = StyleGanFidelityTest.folder();
		ModelStore.Installed model = new ModelStore(f.resolve("store")).resolve(f.resolve("resnet_cond_clamp16.pkl").toString(), "model");
		assertNotNull(model.card, "a snapshot gets a card from its family");
		assertEquals(0.25, ((Number) model.card.parameters.get("conv_clamp")).doubleValue(), 1e-9);
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter();
			StyleGan2 g = StyleGanModels.load(model, m))
		{
			double[] z = NumpyRandom.randn(5, g.arch.zDim);
			Tensors.assertClose(io.github.genij.testing.PythonOracle.tensors(m, f, "resnet_cond_clamp16").get("img5_psi07_const"),
				g.synthesise(g.ws(g.w(z, 2, m), 0.7, null), Noise.of("const", 5)), 1e-4, "snapshot image");
		}
	}

	@Test
	void aSnapshotThatAsksToRunSomethingIsRefusedAndNothingRuns() throws Exception {
		Path f = StyleGanFidelityTest.folder();
		Files.deleteIfExists(f.resolve("pwned"));
		CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(f.resolve("hostile_call.pkl")));
		assertTrue(e.getMessage().contains("asks to call posix.system") || e.getMessage().contains("asks to call os.system"),
			e.getMessage());
		assertTrue(e.getMessage().contains("nothing in it was run"), e.getMessage());
		assertFalse(Files.exists(f.resolve("pwned")), "the command was not run");
	}

	@Test
	void aSnapshotWhoseGeneratorHoldsAForeignModuleIsRefused() {
		Path f = StyleGanFidelityTest.folder();
		TorchCheckpoint ckpt = TorchCheckpoint.read(f.resolve("foreign_class.pkl"));
		GenIJException e = assertThrows(GenIJException.class, () -> ArchitectureDetector.convert(ckpt));
		assertTrue(e.getMessage().contains("class evil.payload.Linear, which is not part of NVIDIA's StyleGAN2 generator"),
			e.getMessage());
	}

	/** Damaged snapshots (the fuzz test's mutations) end in success or one GenIJ error, quickly. */
	@Test
	void damagedSnapshotsFailCleanly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		java.util.Random random = new java.util.Random(14);
		long slowest = 0;
		int readable = 0;
		for (int i = 0; i < 400; i++) {
			// PyTorch snapshots and TensorFlow pickles (numpy arrays, TF networks) alike
			byte[] good = Files.readAllBytes(StyleGanFidelityTest.folder().resolve(i % 2 == 0 ? "resnet_cond_clamp16.pkl" : "skip32_tf.pkl"));
			Path file = dir.resolve("case.pkl");
			Files.write(file, io.github.genij.core.weights.CheckpointFuzzTest.mutate(good, random));
			long start = System.nanoTime();
			try {
				ArchitectureDetector.convert(TorchCheckpoint.read(file));
				readable++;
			}
			catch (GenIJException expected) {
				// the clean way to fail
			}
			catch (Throwable t) {
				org.junit.jupiter.api.Assertions.fail("mutation " + i + " escaped as " + t, t);
			}
			slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
		}
		assertTrue(slowest < 10_000, "slowest " + slowest + " ms");
		assertTrue(readable < 400, "the mutations damage files");
	}

	/** Model Info on a snapshot: PyTorch's counts, and no receptive field or tiles (a generator takes no image). */
	@Test
	void modelInfoDescribesAGeneratorWithoutImageLines() {
		Path f = StyleGanFidelityTest.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			String text = io.github.genij.core.family.ModelSummary.of(f.resolve("skip32.pkl").toString(), 64, 64, m).toText();
			assertTrue(text.contains("family: stylegan"), text);
			assertTrue(text.contains("learned parameters: 66723"), text);
			assertFalse(text.contains("receptive field"), text);
		}
	}
}
