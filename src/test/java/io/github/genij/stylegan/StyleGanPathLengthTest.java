package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import com.google.gson.JsonObject;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;

/**
 * StyleGAN Path Length against the oracle (stylegan_ppl_oracle.py: NVIDIA's metric re-written on the oracle's
 * generator, with GenIJ's draws): an RGB model in w space from the path's end with an LPIPS stand-in saved as
 * TorchScript (NVIDIA's vgg16.pt calling convention) that GenIJ runs through libtorch; a grey model in z space along
 * the whole path with the face crop and the pixel distance. Each sample's distance agrees within 1 %, the PPL within
 * 0.5 %: the metric is a finite difference at 1e-4 in float32 (the two images differ in their fifth digit), so
 * rounding shows in the third digit: the oracle's own distances move by up to 0.3 % when it runs the two images
 * through the generator together instead of one at a time. The command gives the same figure and a histogram.
 */
class StyleGanPathLengthTest {

	@Test
	void distancesAndPplAreTheOracles() {
		Path f = PythonOracle.generate("stylegan_ppl_oracle.py");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "ppl");
			for (PythonOracle.Case c : PythonOracle.cases(f)) {
				JsonObject s = c.settings;
				try (StyleGan2 g = StyleGan2.load(Weights.stateDict(f.resolve(c.name + ".pth")), null, m);
					ImageFeatures features = s.get("lpips").getAsBoolean() ? LpipsFeatures.load(f.resolve("lpips_standin.pt"), Device.cpu())
						: ImageFeatures.PIXELS)
				{
					double[] d = PathLength.distances(g, s.get("samples").getAsInt(), "z".equals(s.get("space").getAsString()) ? PathLength.Space.Z
						: PathLength.Space.W, "full".equals(s.get("sampling").getAsString()), s.get("crop").getAsBoolean(), features, 0,
						s.get("seed").getAsLong(), m, Progress.NONE);
					double[] want = t.get(c.name + "_distances").toDoubleArray();
					assertEquals(want.length, d.length);
					for (int i = 0; i < d.length; i++) assertEquals(want[i], d[i], 1e-2 * Math.max(1, want[i]), c.name + " sample " + i);
					double ppl = t.get(c.name + "_ppl").getDouble(0);
					assertEquals(ppl, PathLength.of(d), 5e-3 * ppl, c.name + " PPL");
				}
			}
		}
	}

	/** A long run keeps a fixed number of arrays: each sample's (and the TorchScript network's outputs) go with it. */
	@Test
	void manySamplesKeepAFixedNumberOfArrays() {
		Path f = PythonOracle.generate("stylegan_ppl_oracle.py");
		int[] live = new int[13];
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter();
			StyleGan2 g = StyleGan2.load(Weights.stateDict(f.resolve("rgb32.pth")), null, m);
			ImageFeatures features = LpipsFeatures.load(f.resolve("lpips_standin.pt"), Device.cpu()))
		{
			Progress count = new Progress() {
				@Override
				public void status(String message) {}

				@Override
				public void progress(long done, long total) {
					live[(int) done] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}

				@Override
				public void log(String message) {}

				@Override
				public boolean isCancelled() {
					return false;
				}
			};
			PathLength.distances(g, 12, PathLength.Space.Z, true, false, features, 0, 1, m, count);
		}
		assertTrue(live[3] > 0, "counted");
		assertEquals(live[3], live[12], "arrays alive after samples 3 and 12");
	}

	@Test
	void theCommandReportsTheFigureAndAHistogram() throws Exception {
		Path f = PythonOracle.generate("stylegan_ppl_oracle.py");
		try (Context context = new Context(); NDManager m = GenIJEngine.get().newBaseManager()) {
			CommandModule r = context.service(CommandService.class).run(StyleGanPathLengthCommand.class, true, "model",
				f.resolve("rgb32.pth").toString(), "samples", 40, "space", "w", "sampling", "end", "features", f.resolve("lpips_standin.pt").toFile(),
				"seed", 5L).get();
			assertTrue(!r.isCanceled(), String.valueOf(r.getCancelReason()));
			double ppl = PythonOracle.tensors(m, f, "ppl").get("rgb32_ppl").getDouble(0);
			assertEquals(ppl, (Double) r.getOutput("ppl"), 5e-3 * ppl);
			assertTrue(r.getOutput("plot") instanceof ImagePlus);
			CommandModule bad = context.service(CommandService.class).run(StyleGanPathLengthCommand.class, true, "model",
				f.resolve("rgb32.pth").toString(), "space", "q").get();
			assertTrue(bad.isCanceled() && bad.getCancelReason().contains("space=q is not allowed: use w or z"), bad.getCancelReason());
		}
	}

	/** Images above 256 px are box-filtered to 256 (NVIDIA's reshape-and-mean), then 0..255, grey repeated to RGB. */
	@Test
	void largeImagesAreBoxFilteredTo256() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			float[] v = new float[512 * 512];
			for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37);
			NDArray img = m.create(v, new ai.djl.ndarray.types.Shape(1, 1, 512, 512));
			float[] out = PathLength.prepare(img, false).toFloatArray();
			assertEquals(3 * 256 * 256, out.length);
			for (int y : new int[] { 0, 17, 255 })
				for (int x : new int[] { 0, 101, 255 }) {
					double mean = 0;
					for (int dy = 0; dy < 2; dy++)
						for (int dx = 0; dx < 2; dx++) mean += v[(2 * y + dy) * 512 + 2 * x + dx] / 4;
					for (int c = 0; c < 3; c++)
						assertEquals((mean + 1) * 127.5, out[(c * 256 + y) * 256 + x], 1e-3, "pixel " + x + "," + y + " channel " + c);
				}
		}
	}
}
