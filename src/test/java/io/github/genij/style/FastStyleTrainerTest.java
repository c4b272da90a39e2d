package io.github.genij.style;

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
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train Fast Style's step against pytorch/examples' (src/test/python/fast_style_train_check.py): GenIJ's fresh transformer,
 * exported in the reference's layout and loaded there with strict=True, gives on the same batch and style image the same
 * content and style losses and the same gradient in every parameter, in float64; with one style and, with conditional
 * instance norm, the second of two (only its norm rows get gradients). A stopped and continued training equals an
 * uninterrupted one.
 */
class FastStyleTrainerTest {

	private static float[] smooth(Random r, int channels, int h, int w) {
		float[] v = new float[channels * h * w];
		double a = r.nextDouble() * 3, b = r.nextDouble() * 3;
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					v[(c * h + y) * w + x] = (float) (127.5 + 100 * Math.sin(x * 0.3 + a * c) * Math.cos(y * 0.2 + b) + 20 * r.nextGaussian());
		return v;
	}

	private static void check(Path dir, int styles) throws Exception {
		PythonOracle.requireTorch();
		Random r = new Random(5);
		float[] x = new float[2 * 3 * 32 * 32];
		System.arraycopy(smooth(r, 3, 32, 32), 0, x, 0, 3 * 32 * 32);
		System.arraycopy(smooth(r, 3, 32, 32), 0, x, 3 * 32 * 32, 3 * 32 * 32);
		float[] style = smooth(r, 3, 40, 36);
		int styleIndex = styles - 1;
		double cw = 1e5, sw = 1e10;
		float[] losses = new float[2];
		Map<String, float[]> grads = new LinkedHashMap<>();
		try (NDManager m = GenIJEngine.get().newBaseManager(); FastStyleNetwork net = new FastStyleNetwork(styles); VggFeatures vgg = VggFeatures.builtin(m)) {
			net.initialise(3, m);
			TorchCheckpointWriter.write(dir.resolve("transformer.pth"), net.stateDict());
			TorchCheckpointWriter.write(dir.resolve("vgg.pth"), vgg.stateDict());
			net.convertTo(DataType.FLOAT64);
			vgg.convertTo(DataType.FLOAT64);
			net.train(true);
			Map<String, NDArray> params = net.trainableArrays();
			NDArray xs = m.create(x, new Shape(2, 3, 32, 32)).toType(DataType.FLOAT64, false);
			NDArray st = m.create(style, new Shape(1, 3, 40, 36)).toType(DataType.FLOAT64, false);
			Map<String, NDArray> grams = FastStyleTrainer.grams(vgg, st);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray[] l = FastStyleTrainer.losses(net, vgg, xs, grams, styleIndex, cw, sw);
				gc.backward(l[0].add(l[1]));
				losses[0] = l[0].toType(DataType.FLOAT32, false).getFloat();
				losses[1] = l[1].toType(DataType.FLOAT32, false).getFloat();
			}
			params.forEach((k, v) -> grads.put(k, v.getGradient().toType(DataType.FLOAT32, false).toFloatArray()));
		}
		Map<String, WeightTensor> inputs = new LinkedHashMap<>();
		inputs.put("x", WeightTensor.ofFloats(x, new long[] { 2, 3, 32, 32 }));
		inputs.put("style", WeightTensor.ofFloats(style, new long[] { 1, 3, 40, 36 }));
		Safetensors.write(dir.resolve("inputs.safetensors"), inputs, Map.of());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("styles", styles);
		settings.put("style_index", styleIndex);
		settings.put("content_weight", cw);
		settings.put("style_weight", sw);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("fast_style_train_check.py", dir);
		Map<String, WeightTensor> ref = Safetensors.read(dir.resolve("check.safetensors"));
		assertEquals(ref.get("content").toFloats()[0], losses[0], 1e-5 * Math.abs(losses[0]), "content loss");
		assertEquals(ref.get("style").toFloats()[0], losses[1], 1e-5 * Math.abs(losses[1]), "style loss");
		double largest = 0;
		for (String k : grads.keySet()) for (float v : ref.get("grad." + k).toFloats()) largest = Math.max(largest, Math.abs(v));
		for (Map.Entry<String, float[]> e : grads.entrySet()) {
			float[] want = ref.get("grad." + e.getKey()).toFloats(), got = e.getValue();
			for (int i = 0; i < got.length; i++) assertEquals(want[i], got[i], 1e-5 * largest, e.getKey() + " element " + i);
		}
		assertTrue(grads.size() > 30, "compared " + grads.size() + " parameters");
	}

	@Test
	void oneStepIsTheReferences(@TempDir Path dir) throws Exception {
		check(dir, 1);
	}

	@Test
	void oneStepWithConditionalInstanceNormIsTheReferences(@TempDir Path dir) throws Exception {
		check(dir, 2);
	}

	/** Long training keeps native memory flat: the arrays alive are as many at step 4 as at step 16 (two styles taking turns). */
	@Test
	void liveArraysStayFlatOverSteps(@TempDir Path dir) {
		Random r = new Random(4);
		List<FastStyleTrainer.Picture> contents = new ArrayList<>(), styles = new ArrayList<>();
		for (int k = 0; k < 20; k++) contents.add(new FastStyleTrainer.Picture("c" + k, 20, 20, smooth(r, 3, 20, 20)));
		styles.add(new FastStyleTrainer.Picture("s0", 24, 24, smooth(r, 3, 24, 24)));
		styles.add(new FastStyleTrainer.Picture("s1", 24, 24, smooth(r, 3, 24, 24)));
		FastStyleTrainer.Settings s = new FastStyleTrainer.Settings();
		s.batchSize = 1;
		s.cropSize = 16;
		s.epochs = 1;
		int[] live = new int[20];
		try (NDManager m = GenIJEngine.get().newBaseManager(); VggFeatures vgg = VggFeatures.builtin(m)) {
			FastStyleTrainer.Listener count = new FastStyleTrainer.Listener() {
				@Override
				public void step(int epoch, int step, int steps, FastStyleTrainer.StepLosses losses) {
					live[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}
			};
			new FastStyleTrainer(s, vgg, "builtin", dir.resolve("flat.safetensors"), count, Progress.NONE).train(contents, styles, m);
		}
		assertTrue(live[4] > 0, "counted");
		assertEquals(live[4], live[16], "arrays alive at step 4 and at step 16");
	}

	@Test
	void aContinuedTrainingEqualsAnUninterruptedOne(@TempDir Path dir) {
		Random r = new Random(9);
		List<FastStyleTrainer.Picture> contents = new ArrayList<>(), styles = new ArrayList<>();
		for (int k = 0; k < 4; k++) contents.add(new FastStyleTrainer.Picture("c" + k, 36, 32, smooth(r, 3, 32, 36)));
		styles.add(new FastStyleTrainer.Picture("s0", 32, 32, smooth(r, 3, 32, 32)));
		styles.add(new FastStyleTrainer.Picture("s1", 32, 32, smooth(r, 3, 32, 32)));
		FastStyleTrainer.Settings s = new FastStyleTrainer.Settings();
		s.batchSize = 2;
		s.cropSize = 16;
		s.epochs = 2;
		FastStyleTrainer.Result once, twice;
		try (NDManager m = GenIJEngine.get().newBaseManager(); VggFeatures vgg = VggFeatures.builtin(m)) {
			once = new FastStyleTrainer(s, vgg, "builtin", dir.resolve("once.safetensors"), null, Progress.NONE).train(contents, styles, m);
			int[] steps = { 0 };
			Progress stopping = new Progress() {
				@Override public void status(String message) {}
				@Override public void progress(long done, long total) { steps[0] = (int) done; }
				@Override public void log(String message) {}
				@Override public boolean isCancelled() { return steps[0] >= 3; }
			};
			Path file = dir.resolve("twice.safetensors");
			try {
				new FastStyleTrainer(s, vgg, "builtin", file, null, stopping).train(contents, styles, m);
			}
			catch (CancelledException expected) {
				// saved at step 3 of 4
			}
			twice = new FastStyleTrainer(s, vgg, "builtin", file, null, Progress.NONE).train(contents, styles, m);
		}
		assertEquals(2, once.history.size());
		for (String k : once.network.keySet()) assertArrayEquals(once.network.get(k).toFloats(), twice.network.get(k).toFloats(), 0f, k);
	}
}
