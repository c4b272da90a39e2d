package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;

class GatysTransferTest {

	@Test
	void lossAfterKEvaluationsMatchesGatysReferenceLoop() {
		Path folder = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			VggFeatures vgg = VggFeatures.fromStateDict(Weights.stateDict(folder.resolve("gatys_vgg.safetensors")), m, false)) {
			Map<String, NDArray> t = PythonOracle.tensors(m, folder, "gatys");
			double[] reference = t.get("losses").toDoubleArray();
			GatysTransfer.Settings s = new GatysTransfer.Settings();
			s.iterations = reference.length;
			s.previewEvery = 0;
			GatysTransfer.Result r = GatysTransfer.run(vgg, t.get("content"), t.get("style"), s, Progress.NONE, null, m);
			assertEquals(reference.length, r.losses.size(), "the same number of evaluations");
			assertEquals(reference[0], r.losses.get(0), 1e-9 * reference[0], "the same starting loss");
			for (int k : new int[] { 10, 20, 40, reference.length }) {
				double ours = r.losses.get(k - 1), theirs = reference[k - 1];
				assertTrue(Math.abs(ours - theirs) <= 0.01 * theirs, "after " + k + " evaluations: ours " + ours +
					", reference " + theirs);
			}
			assertTrue(r.loss < reference[0] / 5, "the optimisation made progress: " + r.loss);
			// and in float32, as users run it, the objective itself agrees
			GatysTransfer.Settings one = new GatysTransfer.Settings();
			one.iterations = 1;
			GatysTransfer.Result f32 = GatysTransfer.run(vgg, t.get("content").toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
				t.get("style").toType(ai.djl.ndarray.types.DataType.FLOAT32, false), one, Progress.NONE, null, m);
			assertEquals(reference[0], f32.losses.get(0), 1e-4 * reference[0], "float32 starting loss");
		}
	}

	@Test
	void torchvisionNamingGivesTheSameFeaturesAsGatysNaming() {
		Path folder = StyleOracle.folder();
		java.util.Map<String, io.github.genij.core.weights.WeightTensor> gatys = Weights.stateDict(folder.resolve("gatys_vgg.safetensors"));
		java.util.Map<String, io.github.genij.core.weights.WeightTensor> tv = new java.util.LinkedHashMap<>();
		int[] index = { 0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34 };
		int i = 0;
		for (String[] block : VggFeatures.BLOCKS)
			for (String name : block) {
				tv.put("features." + index[i] + ".weight", gatys.get("conv" + name + ".weight"));
				tv.put("features." + index[i] + ".bias", gatys.get("conv" + name + ".bias"));
				i++;
			}
		try (NDManager m = GenIJEngine.get().newBaseManager(); VggFeatures a = VggFeatures.fromStateDict(gatys, m, false);
			VggFeatures b = VggFeatures.fromStateDict(tv, m, false)) {
			assertEquals(io.github.genij.core.tensor.ValuePreset.CAFFE_BGR, a.preset());
			assertEquals(io.github.genij.core.tensor.ValuePreset.IMAGENET, b.preset());
			NDArray x = m.randomUniform(-1, 1, new Shape(1, 3, 32, 32));
			io.github.genij.testing.Tensors.assertClose(a.forward(x, List.of("r42")).get("r42"), b.forward(x, List.of("r42"))
				.get("r42"), 1e-6, "r42");
		}
	}

	@Test
	void builtinFeaturesReduceTheLossPreviewAndRunCoarseToFine() {
		try (NDManager m = GenIJEngine.get().newBaseManager(); VggFeatures vgg = VggFeatures.builtin(m)) {
			m.getEngine().setRandomSeed(3);
			NDArray content = m.randomUniform(-1, 1, new Shape(1, 3, 9, 7)).repeat(2, 10).repeat(3, 10);
			NDArray style = m.randomUniform(-1, 1, new Shape(1, 3, 48, 48));
			GatysTransfer.Settings s = new GatysTransfer.Settings();
			s.iterations = 30;
			s.coarseSide = 48; // 90x70 is optimised at 45x35 first, then refined
			s.previewEvery = 10;
			List<Integer> levels = new ArrayList<>(), previews = new ArrayList<>();
			GatysTransfer.Result r = GatysTransfer.run(vgg, content, style, s, Progress.NONE, (level, n, loss, preview) -> {
				if (!levels.contains(level)) levels.add(level);
				if (preview != null) previews.add(n);
			}, m);
			assertEquals(new Shape(1, 3, 90, 70), r.image.getShape(), "the content's size, after padding for the pyramid");
			assertEquals(List.of(0, 1), levels, "two levels, coarse first");
			assertEquals(List.of(10, 20, 30, 10, 20, 30), previews);
			assertEquals(60, r.losses.size());
			assertTrue(r.losses.get(59) < r.losses.get(30) / 2, "the fine level improved on its start: " + r.losses);
		}
	}

	@Test
	void cancellingKeepsTheBestImageSoFar() {
		try (NDManager m = GenIJEngine.get().newBaseManager(); VggFeatures vgg = VggFeatures.builtin(m)) {
			NDArray content = m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), style = m.randomUniform(-1, 1, new Shape(1, 3, 32, 32));
			AtomicInteger evaluations = new AtomicInteger();
			Progress cancelAfter12 = new Progress() {
				@Override public void status(String message) {}
				@Override public void progress(long done, long total) { evaluations.set((int) done); }
				@Override public void log(String message) {}
				@Override public boolean isCancelled() { return evaluations.get() >= 12; }
			};
			GatysTransfer.Settings s = new GatysTransfer.Settings();
			s.iterations = 100;
			GatysTransfer.Result r = GatysTransfer.run(vgg, content, style, s, cancelAfter12, null, m);
			assertTrue(r.stoppedEarly);
			assertEquals(12, r.losses.size());
			assertEquals(r.losses.stream().mapToDouble(Double::doubleValue).min().getAsDouble(), r.loss, 0);
			assertEquals(new Shape(1, 3, 32, 32), r.image.getShape());
		}
	}
}
