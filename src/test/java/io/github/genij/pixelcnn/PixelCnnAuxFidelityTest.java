package io.github.genij.pixelcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * The Grayscale and Pyramid PixelCNNs against the oracle (src/test/python/pixelcnn_aux_nets.py: Kolesnikov &amp;
 * Lampert's models re-written in PyTorch from the paper and their demo, weight-normed, random weights): the
 * state-dict keys and the variant's settings read from them, the per-pixel map of nats (the auxiliary images'
 * shares included) within 1e-4 on images whose sides are not powers of two, the map summing to the total; then
 * samples and completions in float64 equal the oracle's levels, row by row and with whole-image passes.
 */
class PixelCnnAuxFidelityTest {

	@Test
	void grayscaleRgbModel() {
		matchesTheOracle("grayscale");
	}

	@Test
	void pyramidGreyModel() {
		matchesTheOracle("pyramid");
	}

	private static void matchesTheOracle(String name) {
		Path f = PythonOracle.generate("pixelcnn_aux_oracle.py");
		JsonObject s = PythonOracle.cases(f).stream().filter(c -> c.name.equals(name)).findFirst().get().settings;
		int channels = s.get("channels").getAsInt();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, name);
			ModelStore.Installed model = ModelStore.defaultStore().resolve(f.resolve(name + ".pth").toString(), "model");
			try (PixelModel net = PixelCnnModels.load(model, m)) {
				assertEquals(name, net.variant());
				assertEquals(channels, net.channels());
				Map<String, Object> p = PixelCnnModels.parameters(model);
				assertEquals(s.get("conditional_blocks").getAsInt(), ((Number) p.get(PixelCnnFamily.CONDITIONAL_BLOCKS)).intValue());
				if (s.has("pyramid_levels")) assertEquals(s.get("pyramid_levels").getAsInt(), ((PyramidPixelCnn) net).levels());
				try (PixelModel normed = PixelCnnFamily.buildModel(name, p, true)) {
					assertEquals(s.get("parameter_count").getAsLong(), normed.parameterCount(), "the weight-normed tree counts as PyTorch");
					assertEquals(new java.util.ArrayList<>(Weights.stateDict(f.resolve(name + ".pth")).keySet()),
						new java.util.ArrayList<>(normed.slots().keySet()), "the oracle's keys, in its order");
				}
				for (String tag : new String[] { "odd", "square" }) {
					NDArray image = t.get(tag + "_image");
					int h = (int) image.getShape().get(2), w = (int) image.getShape().get(3);
					Canvas c = Canvas.copies(levels(image), 1, channels, h, w);
					Tensors.assertClose(t.get(tag + "_nats"), net.nats(c, m, DataType.FLOAT32), 1e-4, name + " " + tag + " nats per pixel");
					Likelihood.Map map = Likelihood.of(net, levels(image), h, w, m);
					double total = t.get(tag + "_nats").sum().getFloat();
					assertEquals(total / Math.log(2) / (channels * h * w), map.bitsPerDim, 1e-4 * map.bitsPerDim, "bits/dim from the total");
					double sum = 0;
					for (float b : map.bits) sum += b;
					assertEquals(map.bitsPerDim * channels * h * w, sum, 1e-3, "the map sums to the total");
				}
				for (PixelSampler.Passes passes : PixelSampler.Passes.values()) {
					Canvas canvas = new Canvas(s.get("sample_count").getAsInt(), channels, s.get("sample_height").getAsInt(), s.get("sample_width").getAsInt());
					net.draw(canvas, null, s.get("sample_seed").getAsLong(), s.get("temperature").getAsDouble(), m, Progress.NONE, DataType.FLOAT64, passes);
					assertArrayEquals(levels(t.get("samples")), canvas.levels, passes + ": samples are the oracle's levels, pixel for pixel");

					float[] maskValues = t.get("completion_mask").toFloatArray();
					boolean[] mask = new boolean[maskValues.length];
					for (int i = 0; i < mask.length; i++) mask[i] = maskValues[i] > 0;
					int[] original = levels(t.get("completion_image"));
					Canvas completed = Canvas.copies(original, s.get("completion_count").getAsInt(), channels, 8, 8);
					net.draw(completed, mask, s.get("completion_seed").getAsLong(), 1.0, m, Progress.NONE, DataType.FLOAT64, passes);
					assertArrayEquals(levels(t.get("completions")), completed.levels, passes + ": completions are the oracle's levels");
					boolean changed = false;
					for (int k = 0; k < completed.count; k++) {
						int[] img = completed.image(k);
						for (int i = 0; i < img.length; i++) {
							if (!mask[i % 64]) assertEquals(original[i], img[i], "pixels outside the mask are the input's");
							else changed |= original[i] != img[i];
						}
					}
					assertTrue(changed, "masked pixels were re-drawn");
				}
			}
		}
	}

	private static int[] levels(NDArray a) {
		float[] v = a.toFloatArray();
		int[] out = new int[v.length];
		for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
		return out;
	}
}
