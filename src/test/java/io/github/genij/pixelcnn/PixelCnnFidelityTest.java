package io.github.genij.pixelcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * GenIJ's PixelCNN++ against the oracle (src/test/python/pixelcnn_nets.py, pclucas14's model re-written with its
 * keys and weight norm; its outputs equal the reference's), for an RGB and a grey model saved from DataParallel in
 * both of torch.save's formats: the mixture parameters, the per-pixel negative log-likelihood and its sum (the
 * reference's loss) within 1e-4, on a 16x16 image and on a 13x18 one; then sampling and completion in float64 with
 * the same numpy draws give the oracle's levels exactly.
 */
class PixelCnnFidelityTest {

	@Test
	void rgbModel() {
		likelihoodSamplesAndCompletionsAreTheReferences("rgb");
	}

	@Test
	void greyModel() {
		likelihoodSamplesAndCompletionsAreTheReferences("grey");
	}

	private static void likelihoodSamplesAndCompletionsAreTheReferences(String name) {
		Path f = PythonOracle.generate("pixelcnn_oracle.py");
		JsonObject s = PythonOracle.cases(f).stream().filter(c -> c.name.equals(name)).findFirst().get().settings;
		int channels = s.get("channels").getAsInt();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, name);
			for (String file : new String[] { name + ".pth", name + "_legacy.pth" }) {
				ModelStore.Installed model = ModelStore.defaultStore().resolve(f.resolve(file).toString(), "model");
				try (PixelCnnPP net = PixelCnnModels.loadPixelCnnPP(model, m)) {
					assertEquals(channels, net.channels, file);
					assertEquals(s.get("nr_resnet").getAsInt(), net.blocks, file);
					assertEquals(s.get("nr_filters").getAsInt(), net.filters, file);
					assertEquals(s.get("nr_logistic_mix").getAsInt(), net.mixtures, file);
					assertEquals(s.get("folded_parameter_count").getAsLong(), net.parameterCount(),
						"PyTorch's parameters() less weight norm's g: the folded weight replaces each g and v pair");
					try (PixelCnnPP normed = new PixelCnnPP(channels, net.blocks, net.filters, net.mixtures, true)) {
						assertEquals(s.get("parameter_count").getAsLong(), normed.parameterCount(), "the weight-normed tree counts as PyTorch");
						assertEquals(new java.util.ArrayList<>(Weights.stateDict(f.resolve(name + ".pth")).keySet()).stream()
							.map(k -> k.substring("module.".length())).collect(java.util.stream.Collectors.toList()),
							new java.util.ArrayList<>(normed.slots().keySet()), "the reference's keys, in its order");
					}
					for (String tag : new String[] { "square", "odd" }) {
						NDArray image = t.get(tag + "_image");
						NDArray x = image.div(127.5f).sub(1f);
						NDArray params = net.forward(x);
						Tensors.assertClose(t.get(tag + "_params"), params, 1e-4, file + " " + tag + " mixture parameters");
						NDArray nll = LogisticMixture.nllPerPixel(x, params);
						Tensors.assertClose(t.get(tag + "_nll"), nll, 1e-4, file + " " + tag + " per-pixel NLL");
						Tensors.assertClose(t.get(tag + "_loss"), nll.sum().reshape(1), 1e-4, file + " " + tag + " the reference's loss");
						int h = (int) image.getShape().get(2), w = (int) image.getShape().get(3);
						Likelihood.Map map = Likelihood.of(net, levels(image), h, w, m);
						double total = t.get(tag + "_loss").getFloat(0);
						assertEquals(total / Math.log(2) / (channels * h * w), map.bitsPerDim, 1e-4 * Math.abs(map.bitsPerDim),
							"bits/dim = loss / (ln 2 * dims)");
						double sum = 0;
						for (float b : map.bits) sum += b;
						assertEquals(map.bitsPerDim * channels * h * w, sum, 1e-3, "the map sums to the total");
						long limit = Likelihood.WHOLE_IMAGE_BYTES;
						Likelihood.WHOLE_IMAGE_BYTES = 0; // as a large image goes: row by row
						try {
							float[] rows = Likelihood.of(net, levels(image), h, w, m).bits;
							float[] nats = t.get(tag + "_nll").toFloatArray();
							for (int i = 0; i < rows.length; i++)
								assertEquals(nats[i] / Math.log(2), rows[i], 1e-4 * Math.max(1, Math.abs(rows[i])), file + " " + tag + " row by row, pixel " + i);
						}
						finally {
							Likelihood.WHOLE_IMAGE_BYTES = limit;
						}
					}
				}
			}
			ModelStore.Installed model = ModelStore.defaultStore().resolve(f.resolve(name + ".pth").toString(), "model");
			try (PixelCnnPP net = PixelCnnModels.loadPixelCnnPP(model, m)) {
				for (PixelSampler.Passes passes : PixelSampler.Passes.values()) {
					PixelSampler sampler = new PixelSampler(net, DataType.FLOAT64, passes);
					int count = s.get("sample_count").getAsInt();
					Canvas canvas = new Canvas(count, channels, s.get("sample_height").getAsInt(), s.get("sample_width").getAsInt());
					sampler.draw(canvas, null, s.get("sample_seed").getAsLong(), s.get("temperature").getAsDouble(), m, Progress.NONE);
					assertArrayEquals(levels(t.get("samples")), canvas.levels, passes + ": samples are the oracle's levels, pixel for pixel");

					NDArray start = t.get("completion_image");
					float[] maskValues = t.get("completion_mask").toFloatArray();
					boolean[] mask = new boolean[maskValues.length];
					for (int i = 0; i < mask.length; i++) mask[i] = maskValues[i] > 0;
					int[] original = levels(start);
					Canvas completed = Canvas.copies(original, s.get("completion_count").getAsInt(), channels, 8, 8);
					sampler.draw(completed, mask, s.get("completion_seed").getAsLong(), 1.0, m, Progress.NONE);
					assertArrayEquals(levels(t.get("completions")), completed.levels, passes + ": completions are the oracle's levels");
					for (int k = 0; k < completed.count; k++) {
						int[] img = completed.image(k);
						for (int i = 0; i < img.length; i++)
							if (!mask[i % 64]) assertEquals(original[i], img[i], "pixels outside the mask are the input's");
					}
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
