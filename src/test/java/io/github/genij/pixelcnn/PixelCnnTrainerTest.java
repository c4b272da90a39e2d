package io.github.genij.pixelcnn;

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

import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Training a PixelCNN++ (and the Grayscale and Pyramid PixelCNNs, below): bits/dim fall on structured images; the trained state dict loads with strict=True into the
 * reference's model in Debian's torch and gives GenIJ's likelihood there; a training stopped after two epochs and
 * continued to three ends with the weights of an uninterrupted run.
 */
class PixelCnnTrainerTest {

	/** Stripes and a bright square on a dark ground, with a little noise: easy to learn, not trivial. */
	static List<int[]> images(int count, int size, long seed) {
		Random r = new Random(seed);
		List<int[]> out = new ArrayList<>();
		for (int k = 0; k < count; k++) {
			int[] img = new int[size * size];
			int period = 2 + r.nextInt(3), x0 = r.nextInt(size / 2), y0 = r.nextInt(size / 2);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					int v = (y / period) % 2 == 0 ? 40 : 90;
					if (x >= x0 && x < x0 + size / 2 && y >= y0 && y < y0 + size / 2) v = 220;
					img[y * size + x] = Math.max(0, Math.min(255, v + r.nextInt(7) - 3));
				}
			out.add(img);
		}
		return out;
	}

	static PixelCnnTrainer.Settings settings(int epochs) {
		PixelCnnTrainer.Settings s = new PixelCnnTrainer.Settings();
		s.channels = 1;
		s.width = s.height = 8;
		s.blocks = 1;
		s.filters = 8;
		s.mixtures = 2;
		s.batch = 4;
		s.epochs = epochs;
		s.lr = 5e-3f;
		return s;
	}

	@Test
	void bitsFallAndTheExportLoadsIntoTheReference(@TempDir Path dir) throws Exception {
		List<int[]> train = images(48, 8, 1), heldOut = images(8, 8, 2);
		PixelCnnTrainer.Result r;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			r = new PixelCnnTrainer(settings(10), dir.resolve("run.safetensors"), null, Progress.NONE).train(train, heldOut, m);
		}
		PixelCnnTrainer.EpochReport first = r.history.get(0), last = r.history.get(r.history.size() - 1);
		assertEquals(10, r.history.size());
		assertTrue(last.trainBitsPerDim < first.trainBitsPerDim - 0.5, "training bits/dim fall: " + first.trainBitsPerDim + " -> " +
			last.trainBitsPerDim);
		assertTrue(last.heldOutBitsPerDim < first.heldOutBitsPerDim - 1, "held-out bits/dim fall: " + first.heldOutBitsPerDim + " -> " +
			last.heldOutBitsPerDim);
		assertTrue(r.stateDict.containsKey("u_init.conv.weight_g") && r.stateDict.containsKey("nin_out.lin_a.weight_v"),
			"the reference's weight-norm keys");

		Path check = Files.createDirectories(dir.resolve("check"));
		TorchCheckpointWriter.write(check.resolve("exported.pth"), r.stateDict);
		int[] image = heldOut.get(0);
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("nr_resnet", 1);
		s.put("nr_filters", 8);
		s.put("nr_logistic_mix", 2);
		s.put("input_channels", 1);
		s.put("width", 8);
		s.put("height", 8);
		s.put("image", image);
		Files.writeString(check.resolve("settings.json"), new Gson().toJson(s));
		PythonOracle.run("pixelcnn_export_check.py", check);
		Map<String, WeightTensor> reference = Safetensors.read(check.resolve("check.safetensors"));
		float[] expected = reference.get("nll").toFloats();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			try (NoGrad g = NoGrad.enter(); PixelCnnPP net = Module.loaded(new PixelCnnPP(1, 1, 8, 2), r.stateDict, m, "trained")) {
				float[] bits = Likelihood.of(net, image, 8, 8, m).bits;
				for (int i = 0; i < bits.length; i++)
					assertEquals(expected[i] / Math.log(2), bits[i], 1e-4 * Math.max(1, Math.abs(bits[i])), "pixel " + i);
			}
			// the gradients training follows are the reference's (weight norm's g and v, and the biases)
			try (PixelCnnPP net = new PixelCnnPP(1, 1, 8, 2, true); NDManager step = m.newSubManager();
				ai.djl.training.GradientCollector gc = GenIJEngine.get().newGradientCollector())
			{
				net.load(r.stateDict, m, "trained, weight-normed");
				net.train(true);
				Map<String, ai.djl.ndarray.NDArray> params = net.trainableArrays();
				float[] x = new float[64];
				for (int i = 0; i < 64; i++) x[i] = image[i] / 127.5f - 1f;
				ai.djl.ndarray.NDArray in = step.create(x, new ai.djl.ndarray.types.Shape(1, 1, 8, 8));
				gc.backward(LogisticMixture.nllPerPixel(in, net.forward(in)).sum().div((float) (64 * Math.log(2))));
				assertGradientsAreTheReferences(reference, params, "PixelCNN++");
			}
		}
	}

	/**
	 * The auxiliary-variable models: held-out bits/dim fall; the trained state dict loads with strict=True into the
	 * oracle's model (pixelcnn_aux_nets.py), whose nats per pixel and gradients of bits/dim GenIJ's equal.
	 */
	@Test
	void grayscaleAndPyramidLearnAndTheirWeightsAreTheOraclesModel(@TempDir Path dir) throws Exception {
		for (String variant : new String[] { PixelCnnFamily.GRAYSCALE, PixelCnnFamily.PYRAMID }) {
			List<int[]> train = images(32, 8, 11), heldOut = images(8, 8, 12);
			PixelCnnTrainer.Settings settings = settings(6);
			settings.variant = variant;
			settings.conditionalBlocks = 1;
			settings.conditioningBlocks = 1;
			settings.pyramidLevels = 2;
			PixelCnnTrainer.Result r;
			try (NDManager m = GenIJEngine.get().newBaseManager()) {
				r = new PixelCnnTrainer(settings, dir.resolve(variant + ".safetensors"), null, Progress.NONE).train(train, heldOut, m);
			}
			PixelCnnTrainer.EpochReport first = r.history.get(0), last = r.history.get(r.history.size() - 1);
			assertTrue(last.heldOutBitsPerDim < first.heldOutBitsPerDim - 0.5, variant + ": held-out bits/dim fall: " + first.heldOutBitsPerDim +
				" -> " + last.heldOutBitsPerDim);

			Path check = Files.createDirectories(dir.resolve("check-" + variant));
			TorchCheckpointWriter.write(check.resolve("exported.pth"), r.stateDict);
			int[] image = heldOut.get(0);
			Map<String, Object> s = new LinkedHashMap<>(settings.parameters());
			s.put("variant", variant);
			s.put("width", 8);
			s.put("height", 8);
			s.put("image", image);
			Files.writeString(check.resolve("settings.json"), new Gson().toJson(s));
			PythonOracle.run("pixelcnn_aux_export_check.py", check);
			Map<String, WeightTensor> reference = Safetensors.read(check.resolve("check.safetensors"));
			float[] expected = reference.get("nats").toFloats();
			try (NDManager m = GenIJEngine.get().newBaseManager()) {
				try (NoGrad g = NoGrad.enter(); PixelModel net = Module.loaded(PixelCnnFamily.buildModel(variant, settings.parameters(), false),
					r.stateDict, m, "trained"))
				{
					float[] bits = Likelihood.of(net, image, 8, 8, m).bits;
					for (int i = 0; i < bits.length; i++)
						assertEquals(expected[i] / Math.log(2), bits[i], 1e-4 * Math.max(1, Math.abs(bits[i])), variant + " pixel " + i);
				}
				try (PixelModel net = PixelCnnFamily.buildModel(variant, settings.parameters(), true); NDManager step = m.newSubManager();
					ai.djl.training.GradientCollector gc = GenIJEngine.get().newGradientCollector())
				{
					net.load(r.stateDict, m, "trained, weight-normed");
					net.train(true);
					Map<String, ai.djl.ndarray.NDArray> params = net.trainableArrays();
					Canvas c = Canvas.copies(image, 1, 1, 8, 8);
					gc.backward(net.nats(c, step, ai.djl.ndarray.types.DataType.FLOAT32).sum().div((float) (64 * Math.log(2))));
					assertGradientsAreTheReferences(reference, params, variant);
				}
			}
		}
	}

	/** A gradient for every parameter of the reference's (its file holds them as grad.KEY beside one more tensor), each within 1e-3 of its scale. */
	private static void assertGradientsAreTheReferences(Map<String, WeightTensor> reference, Map<String, ai.djl.ndarray.NDArray> params, String what) {
		assertEquals(reference.keySet().size() - 1, params.size(), what + ": a gradient for every reference parameter");
		for (Map.Entry<String, ai.djl.ndarray.NDArray> e : params.entrySet()) {
			float[] want = reference.get("grad." + e.getKey()).toFloats(), got = e.getValue().getGradient().toFloatArray();
			double scale = 1e-6;
			for (float v : want) scale = Math.max(scale, Math.abs(v));
			for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-3 * scale, what + ": d bits/dim / d " + e.getKey() + "[" + i + "]");
		}
	}

	@Test
	void aStoppedTrainingContinuesWhereItStopped(@TempDir Path dir) {
		resumesExactly(dir, PixelCnnFamily.PIXELCNN_PP);
	}

	@Test
	void aStoppedPyramidTrainingContinuesWhereItStopped(@TempDir Path dir) {
		resumesExactly(dir, PixelCnnFamily.PYRAMID);
	}

	private static PixelCnnTrainer.Settings settings(int epochs, String variant) {
		PixelCnnTrainer.Settings s = settings(epochs);
		s.variant = variant;
		s.conditionalBlocks = s.conditioningBlocks = 1;
		s.pyramidLevels = 2;
		return s;
	}

	private static void resumesExactly(Path dir, String variant) {
		List<int[]> train = images(24, 8, 3);
		Map<String, WeightTensor> straight, resumed;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			straight = new PixelCnnTrainer(settings(3, variant), dir.resolve("a.safetensors"), null, Progress.NONE).train(train, List.of(), m).stateDict;
			new PixelCnnTrainer(settings(2, variant), dir.resolve("b.safetensors"), null, Progress.NONE).train(train, List.of(), m);
			assertEquals("epoch 3 of 2, step 1", PixelCnnTrainer.describe(dir.resolve("b.safetensors")));
			PixelCnnTrainer.Result r = new PixelCnnTrainer(settings(3, variant), dir.resolve("b.safetensors"), null, Progress.NONE).train(train,
				List.of(), m);
			resumed = r.stateDict;
			assertEquals(3, r.history.size(), "the history runs on");
		}
		for (String k : straight.keySet()) {
			float[] a = straight.get(k).toFloats(), b = resumed.get(k).toFloats();
			for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6, k + "[" + i + "]");
		}
	}
}
