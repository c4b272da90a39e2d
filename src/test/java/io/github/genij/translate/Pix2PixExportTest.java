package io.github.genij.translate;

import static io.github.genij.testing.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;

/** A pix2pix trained here, installed, and exported in the reference's layout and format. */
class Pix2PixExportTest {

	@TempDir
	Path dir;

	private Pix2PixTrainer.Result trainBriefly(Pix2PixTrainer.Settings s, NDManager m) {
		List<TrainingPair> pairs = SyntheticPairs.make(6, 32, 5);
		return new Pix2PixTrainer(s, dir.resolve("ckpt.safetensors"), null, Progress.NONE).train(pairs, null, m);
	}

	@Test
	void exportedCheckpointsReadBackAsTheyWereAndTheModelIsInstalled() {
		Pix2PixTrainer.Settings s = Pix2PixTrainerTest.small(1);
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			Pix2PixTrainer.Result r = trainBriefly(s, m);
			Path folder = TrainedModels.install(new ModelStore(dir.resolve("store")), "shapes", s, r, "synthetic shapes", false);
			assertSame(r.generator, Weights.stateDict(folder.resolve(TrainedModels.GENERATOR_FILE)));
			assertSame(r.discriminator, Weights.stateDict(folder.resolve(TrainedModels.DISCRIMINATOR_FILE)));
			ModelStore.Installed installed = new ModelStore(dir.resolve("store")).load("shapes");
			assertEquals("unet_32", installed.card.architecture);
			assertSame(r.generator, installed.weights);
			// 6 pairs, one epoch: G ran 6 times in training mode, D 18 times
			assertEquals(6f, r.generator.get("model.model.1.model.2.num_batches_tracked").toFloats()[0]);
			assertEquals(18f, r.discriminator.get("model.3.num_batches_tracked").toFloats()[0]);
		}
	}

	private static void assertSame(Map<String, WeightTensor> expected, Map<String, WeightTensor> actual) {
		assertEquals(expected.keySet(), new java.util.LinkedHashSet<>(actual.keySet()));
		for (String k : expected.keySet()) {
			assertEquals(expected.get(k).dtype, actual.get(k).dtype, k);
			assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), k);
			assertArrayEquals(expected.get(k).bytes(), actual.get(k).bytes(), k);
		}
	}

	@Test
	void theReferenceCodeLoadsTheExportAndComputesWhatGenIJDoes() throws IOException {
		PythonOracle.requireTorch();
		Pix2PixTrainer.Settings s = Pix2PixTrainerTest.small(1);
		s.channelsB = 3; // gray -> RGB, and a width that is not the default
		s.ndf = 4;
		Path folder = dir.resolve("export");
		Files.createDirectories(folder);
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			List<TrainingPair> pairs = SyntheticPairs.make(4, 32, 9);
			List<TrainingPair> rgb = new java.util.ArrayList<>();
			for (TrainingPair p : pairs) {
				float[] b3 = new float[3 * p.b.length];
				for (int c = 0; c < 3; c++) for (int i = 0; i < p.b.length; i++) b3[c * p.b.length + i] = p.b[i] * (1 - 0.3f * c);
				rgb.add(new TrainingPair(p.name, 32, 32, 1, p.a, 3, b3));
			}
			Pix2PixTrainer.Result r = new Pix2PixTrainer(s, dir.resolve("ckpt.safetensors"), null, Progress.NONE).train(rgb, null, m);
			TrainedModels.exportReference(folder, r.generator, r.discriminator);
			Files.move(folder.resolve(TrainedModels.GENERATOR_FILE), folder.resolve("G.pth"));
			Files.move(folder.resolve(TrainedModels.DISCRIMINATOR_FILE), folder.resolve("D.pth"));
			Files.writeString(folder.resolve("settings.json"), new Gson().toJson(Map.of("in", 1, "out", 3, "downs", 5, "ngf", 8,
				"ndf", 4)), StandardCharsets.UTF_8);
			NDArray a = m.create(rgb.get(0).a, new Shape(1, 1, 32, 32));
			Safetensors.write(folder.resolve("input.safetensors"), Map.of("a", WeightTensor.of(a)), null);

			PythonOracle.run("pix2pix_export_check.py", folder);

			Map<String, List<Long>> shapes = new Gson().fromJson(Files.readString(folder.resolve("reference_shapes.json")),
				new TypeToken<Map<String, List<Long>>>() {}.getType());
			Map<String, List<Long>> ours = new TreeMap<>();
			new UnetGenerator(1, 3, 5, 8, true, true).expectedShapes().forEach((k, p) -> ours.put("G." + k, boxed(p)));
			new PatchDiscriminator(4, 4, 3, true).expectedShapes().forEach((k, p) -> ours.put("D." + k, boxed(p)));
			assertEquals(new TreeMap<>(shapes), ours, "parameter names and shapes of the reference modules");

			Map<String, NDArray> ref = new LinkedHashMap<>();
			Safetensors.read(folder.resolve("reference_out.safetensors")).forEach((k, v) -> ref.put(k, v.toNDArray(m)));
			try (Generator gen = Generators.load(r.generator, "auto", "auto", BatchNorm.Statistics.RUNNING, null, m);
				PatchDiscriminator d = new PatchDiscriminator(4, 4, 3, true))
			{
				NDArray fake = gen.forward(a);
				assertClose(ref.get("fake"), fake, 1e-4, "generator, eval mode");
				d.load(r.discriminator, m, "the exported discriminator");
				NDArray score = d.forward(NDArrays.concat(new NDList(a, ref.get("fake")), 1));
				assertClose(ref.get("score"), score, 1e-4, "discriminator, eval mode");
				assertTrue(score.getShape().equals(new Shape(1, 1, 2, 2)), "PatchGAN output " + score.getShape());
			}
		}
	}

	private static List<Long> boxed(long[] shape) {
		List<Long> l = new java.util.ArrayList<>();
		for (long v : shape) l.add(v);
		return l;
	}
}
