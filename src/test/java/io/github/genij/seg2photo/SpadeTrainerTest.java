package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train SPADE's iteration against NVlabs/SPADE's (src/test/python/spade_train_check.py): GenIJ's fresh networks,
 * exported in the reference's layout and loaded there with strict=True, give on the same batch the same four losses,
 * the same gradient in every parameter of G (generator step) and D (discriminator step), and the same spectral
 * vectors and running statistics afterwards (two power iterations and two batch-norm updates of G, as the reference's
 * two generator passes make). In float64 on both sides.
 */
class SpadeTrainerTest {

	@Test
	void oneIterationIsTheReferences(@TempDir Path dir) throws Exception {
		check(dir, false);
	}

	/** The same with the perceptual loss through a VGG-19 (the built-in random one: weights are weights). */
	@Test
	void oneIterationWithThePerceptualLossIsTheReferences(@TempDir Path dir) throws Exception {
		check(dir, true);
	}

	private static void check(Path dir, boolean withVgg) throws Exception {
		PythonOracle.requireTorch();
		SpadeTrainer.Settings s = settings();
		SpadeTrainer trainer = new SpadeTrainer(s, dir.resolve("unused.safetensors"), null, Progress.NONE);
		int n = 2, c = s.cropSize, plane = c * c;
		Random r = new Random(7);
		float[] seg = new float[n * s.classes * plane], real = new float[n * 3 * plane];
		for (int b = 0; b < n; b++)
			for (int i = 0; i < plane; i++) seg[(b * s.classes + (((i % c) / 8 + (i / c) / 11 + b) % s.classes)) * plane + i] = 1f;
		for (int i = 0; i < real.length; i++) real[i] = (float) Math.tanh(Math.sin(i * 0.37) + 0.5 * r.nextGaussian());
		Map<String, float[]> got = new LinkedHashMap<>();
		float[] losses = new float[5];
		try (NDManager m = GenIJEngine.get().newBaseManager(); SpadeGenerator g = trainer.generator(); SpadeDiscriminator d = trainer.discriminator();
			io.github.genij.style.VggFeatures vgg = withVgg ? io.github.genij.style.VggFeatures.builtin(m) : null)
		{
			g.initialise(3, m);
			d.initialise(4, m);
			TorchCheckpointWriter.write(dir.resolve("G.pth"), g.stateDict());
			TorchCheckpointWriter.write(dir.resolve("D.pth"), d.stateDict());
			if (vgg != null) {
				TorchCheckpointWriter.write(dir.resolve("vgg.pth"), vgg.stateDict());
				vgg.convertTo(DataType.FLOAT64);
			}
			g.convertTo(DataType.FLOAT64);
			d.convertTo(DataType.FLOAT64);
			g.train(true);
			d.train(true);
			Map<String, NDArray> gp = g.trainableArrays(), dp = d.trainableArrays();
			NDArray segArray = m.create(seg, new Shape(n, s.classes, c, c)).toType(DataType.FLOAT64, false);
			NDArray realArray = m.create(real, new Shape(n, 3, c, c)).toType(DataType.FLOAT64, false);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray[] gl = SpadeTrainer.generatorLoss(g, d, segArray, realArray, s.lambdaFeat);
				NDArray total = gl[1].add(gl[2]);
				if (vgg != null) {
					NDArray perceptual = new PerceptualLoss(vgg, s.lambdaVgg).loss(gl[0], realArray);
					losses[4] = perceptual.toType(DataType.FLOAT32, false).getFloat();
					total = total.add(perceptual);
				}
				gc.backward(total);
				losses[0] = gl[1].toType(DataType.FLOAT32, false).getFloat();
				losses[1] = gl[2].toType(DataType.FLOAT32, false).getFloat();
			}
			gp.forEach((k, v) -> got.put("gradG." + k, floats(v.getGradient())));
			for (NDArray v : dp.values()) v.getGradient().muli(0);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray[] dl = SpadeTrainer.discriminatorLoss(g, d, segArray, realArray);
				gc.backward(dl[0].add(dl[1]));
				losses[2] = dl[0].toType(DataType.FLOAT32, false).getFloat();
				losses[3] = dl[1].toType(DataType.FLOAT32, false).getFloat();
			}
			dp.forEach((k, v) -> got.put("gradD." + k, floats(v.getGradient())));
			buffers(g, "G.", got);
			buffers(d, "D.", got);
			Map<String, WeightTensor> inputs = new LinkedHashMap<>();
			inputs.put("seg", WeightTensor.ofFloats(seg, new long[] { n, s.classes, c, c }));
			inputs.put("real", WeightTensor.ofFloats(real, new long[] { n, 3, c, c }));
			Safetensors.write(dir.resolve("inputs.safetensors"), inputs, Map.of());
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("classes", s.classes);
		json.put("ngf", s.ngf);
		json.put("ndf", s.ndf);
		json.put("layers_d", s.layersD);
		json.put("num_d", s.numD);
		json.put("crop_size", s.cropSize);
		json.put("lambda_feat", s.lambdaFeat);
		json.put("lambda_vgg", s.lambdaVgg);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(json));
		PythonOracle.run("spade_train_check.py", dir);
		Map<String, WeightTensor> ref = Safetensors.read(dir.resolve("check.safetensors"));
		String[] lossNames = { "g_gan", "g_feat", "d_fake", "d_real" };
		for (int i = 0; i < 4; i++) assertEquals(ref.get(lossNames[i]).toFloats()[0], losses[i], 1e-6 * Math.max(1, Math.abs(losses[i])), lossNames[i]);
		if (withVgg) {
			assertTrue(losses[4] > 0, "the perceptual loss is there");
			assertEquals(ref.get("g_vgg").toFloats()[0], losses[4], 1e-6 * Math.max(1, losses[4]), "g_vgg");
		}
		Map<String, Double> scale = new LinkedHashMap<>();
		for (String k : got.keySet()) for (float v : ref.get(k).toFloats()) scale.merge(group(k), (double) Math.abs(v), Math::max);
		int compared = 0;
		for (Map.Entry<String, float[]> e : got.entrySet()) {
			WeightTensor want = ref.get(e.getKey());
			assertTrue(want != null, "the reference has " + e.getKey());
			float[] w = want.toFloats(), v = e.getValue();
			assertEquals(w.length, v.length, e.getKey());
			double tolerance = 1e-5 * scale.get(group(e.getKey()));
			for (int i = 0; i < v.length; i++) assertEquals(w[i], v[i], tolerance, e.getKey() + " element " + i);
			compared++;
		}
		assertTrue(compared > 100, "compared " + compared + " tensors");
		for (String k : ref.keySet()) if (k.contains(".") && !k.startsWith("grad")) assertTrue(got.containsKey(k), "GenIJ keeps " + k);
	}

	/** Gradients compare to the largest of their network; buffers to the largest of their kind. */
	private static String group(String key) {
		if (key.startsWith("grad")) return key.substring(0, 5);
		return key.substring(key.lastIndexOf('.') + 1);
	}

	private static void buffers(io.github.genij.core.nn.module.Module net, String prefix, Map<String, float[]> out) {
		for (Map.Entry<String, Slot> e : net.slots().entrySet()) {
			if (e.getValue().trained() || e.getValue().kind == Slot.Kind.COUNTER) continue;
			out.put(prefix + e.getKey(), floats(e.getValue().value()));
		}
	}

	private static float[] floats(NDArray a) {
		return a.toType(DataType.FLOAT32, false).toFloatArray();
	}

	static SpadeTrainer.Settings settings() {
		SpadeTrainer.Settings s = new SpadeTrainer.Settings();
		s.classes = 3;
		s.ngf = 2;
		s.ndf = 4;
		s.cropSize = 32;
		s.batchSize = 2;
		return s;
	}

	/** The learning rates: TTUR (G at lr/2, D at 2 lr), constant for epochs, then down by 1/decay per epoch as the reference's update_learning_rate. */
	@Test
	void learningRatesFollowTheReference() {
		SpadeTrainer.Settings s = settings();
		s.epochs = 3;
		s.decayEpochs = 4;
		float[] want = { 1, 1, 1, 1, 0.75f, 0.5f, 0.25f };
		for (int e = 0; e < 7; e++) {
			assertEquals(s.lr / 2 * want[e], s.lrG(e), 1e-9, "G, epoch " + e);
			assertEquals(s.lr * 2 * want[e], s.lrD(e), 1e-9, "D, epoch " + e);
		}
	}

	/** Three epochs in one run equal a run stopped in its second epoch and continued (networks with their buffers, optimisers). */
	@Test
	void aContinuedTrainingEqualsAnUninterruptedOne(@TempDir Path dir) {
		List<SpadeTrainer.Example> data = examples(6);
		SpadeTrainer.Settings s = settings();
		s.ngf = 1;
		s.ndf = 2;
		s.layersD = 3;
		s.epochs = 2;
		s.decayEpochs = 1;
		SpadeTrainer.Result once, twice;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			once = new SpadeTrainer(s, dir.resolve("once.safetensors"), null, Progress.NONE).train(data, null, m);
			int[] steps = { 0 };
			Progress stopping = new Progress() {
				@Override public void status(String message) {}
				@Override public void progress(long done, long total) { steps[0] = (int) done; }
				@Override public void log(String message) {}
				@Override public boolean isCancelled() { return steps[0] >= 4; }
			};
			Path file = dir.resolve("twice.safetensors");
			try {
				new SpadeTrainer(s, file, null, stopping).train(data, null, m);
			}
			catch (CancelledException expected) {
				// saved at step 4 of 9
			}
			twice = new SpadeTrainer(s, file, null, Progress.NONE).train(data, null, m);
		}
		assertEquals(3, once.history.size());
		for (String k : once.generator.keySet()) assertArrayEquals(once.generator.get(k).toFloats(), twice.generator.get(k).toFloats(), 0f, k);
		for (String k : once.discriminator.keySet()) assertArrayEquals(once.discriminator.get(k).toFloats(), twice.discriminator.get(k).toFloats(), 0f, k);
	}

	/**
	 * Long training keeps native memory flat: the arrays alive (the spectral vectors replaced at every pass, the running
	 * statistics updated in place, each step's activations freed) are as many at step 4 as at step 16.
	 */
	@Test
	void liveArraysStayFlatOverSteps(@TempDir Path dir) {
		SpadeTrainer.Settings s = settings();
		s.ngf = 1;
		s.ndf = 2;
		s.layersD = 3;
		s.epochs = 1;
		int[] live = new int[20];
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			SpadeTrainer.Listener count = new SpadeTrainer.Listener() {
				@Override
				public void step(int epoch, int step, int steps, SpadeTrainer.StepLosses losses) {
					live[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}
			};
			new SpadeTrainer(s, dir.resolve("flat.safetensors"), count, Progress.NONE).train(examples(40), null, m);
		}
		assertTrue(live[4] > 0, "counted");
		assertEquals(live[4], live[16], "arrays alive at step 4 and at step 16");
	}

	/** Label maps of stripes and blobs over 3 classes, each image a function of its labels plus texture. */
	static List<SpadeTrainer.Example> examples(int count) {
		List<SpadeTrainer.Example> out = new ArrayList<>();
		Random r = new Random(11);
		int w = 40, h = 36;
		for (int k = 0; k < count; k++) {
			int[] labels = new int[w * h];
			float[] rgb = new float[3 * w * h];
			double cx = 10 + r.nextInt(20), cy = 10 + r.nextInt(16), radius = 6 + r.nextInt(6);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					int i = y * w + x;
					labels[i] = Math.hypot(x - cx, y - cy) < radius ? 2 : (y / 6) % 2;
					for (int ch = 0; ch < 3; ch++) rgb[ch * w * h + i] = (float) Math.tanh(labels[i] - 1 + 0.3 * Math.sin(x * (ch + 1) * 0.7) + 0.1 * r.nextGaussian());
				}
			}
			out.add(new SpadeTrainer.Example("e" + k, w, h, labels, rgb));
		}
		return out;
	}
}
