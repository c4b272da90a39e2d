package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.PythonOracle;

/** Segmentation to Photo (OASIS) from a label image: z from a seed, and one region re-drawn from its own seed. */
class SegmentationToPhotoOasisCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@Test
	void aSeedAndARegionSeedGiveTheReferenceImages() throws Exception {
		Path f = PythonOracle.generate("oasis_oracle.py");
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "oasis");
			NDArray lab = t.get("labels");
			float[] lv = lab.toFloatArray();
			byte[] b = new byte[lv.length];
			for (int i = 0; i < b.length; i++) b[i] = (byte) Math.round(lv[i]);
			ImagePlus labels = new ImagePlus("labels", new ByteProcessor((int) lab.getShape().get(3), (int) lab.getShape().get(2), b));
			for (String[] c : new String[][] { { "", "out" }, { "2=12", "out_regions" } }) {
				CommandModule r = context.service(CommandService.class).run(SegmentationToPhotoOasisCommand.class, true, "labels", labels,
					"model", f.resolve("oasis_EMA.pth").toString(), "zdim", 8, "seed", 11L, "regionseeds", c[0], "outputtype", "float32").get();
				assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
				ImagePlus out = (ImagePlus) r.getOutput("result");
				float[] e = t.get(c[1]).toFloatArray();
				int n = out.getWidth() * out.getHeight();
				double worst = 0;
				for (int ch = 0; ch < 3; ch++) {
					float[] got = (float[]) out.getStack().getPixels(ch + 1);
					for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - e[ch * n + i]));
				}
				assertTrue(worst < 1e-4, c[1] + ": largest difference " + worst);
			}
			CommandModule wrong = context.service(CommandService.class).run(SegmentationToPhotoOasisCommand.class, true, "labels", labels,
				"model", f.resolve("oasis_EMA.pth").toString(), "zdim", 64).get();
			assertTrue(wrong.isCanceled());
			assertTrue(wrong.getCancelReason().contains("zdim=64 leaves no label channels"), wrong.getCancelReason());
		}
	}
}
