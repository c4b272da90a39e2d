package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * Translate (MUNIT, UNIT) end to end: an RGB image and a style image give the reference's result at the network's
 * sides (48x36 for 50x38); outputsize=input cuts a result back to 50x38; variations draw that many codes (reproducibly);
 * a stack goes slice by slice; a UNIT model translates and refuses style keys.
 */
class TranslateMunitCommandTest {

	private static CommandModule run(Object... keys) throws Exception {
		return Commands.run(TranslateMunitCommand.class, keys);
	}

	/** -1..1 values that are 8-bit levels as an RGB image. */
	static ImagePlus rgb(NDArray values, String title) {
		int h = (int) values.getShape().get(2), w = (int) values.getShape().get(3), n = w * h;
		float[] v = values.toFloatArray();
		int[] p = new int[n];
		for (int i = 0; i < n; i++) {
			int r = Math.round((v[i] * 0.5f + 0.5f) * 255), g = Math.round((v[n + i] * 0.5f + 0.5f) * 255), b = Math.round((v[2 * n + i] * 0.5f + 0.5f) * 255);
			p[i] = r << 16 | g << 8 | b;
		}
		return new ImagePlus(title, new ColorProcessor(w, h, p));
	}

	@Test
	void munitAndUnitThroughTheCommand() throws Exception {
		Path f = MunitFidelityTest.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "munit");
			ImagePlus image = rgb(t.get("image"), "image"), style = rgb(t.get("style_image"), "style");
			CommandModule r = run("input", image, "model", f.resolve("munit_gen.pt").toString(), "style", style, "outputtype", "float32");
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus out = (ImagePlus) r.getOutput("result");
			assertEquals(36, out.getWidth());
			assertEquals(48, out.getHeight());
			float[] e = t.get("ab_style").toFloatArray();
			int n = 36 * 48;
			double worst = 0;
			for (int c = 0; c < 3; c++) {
				float[] got = (float[]) out.getStack().getPixels(c + 1);
				for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - e[c * n + i]));
			}
			assertTrue(worst < 1e-4, "largest difference " + worst);

			CommandModule fit = run("input", image, "model", f.resolve("munit_gen.pt").toString(), "style", style, "outputsize", "input");
			assertEquals(38, ((ImagePlus) fit.getOutput("result")).getWidth());
			assertEquals(50, ((ImagePlus) fit.getOutput("result")).getHeight());

			CommandModule[] drawn = new CommandModule[2];
			for (int k = 0; k < 2; k++) drawn[k] = run("input", image, "model", f.resolve("munit_gen.pt").toString(), "variations", 3, "seed", 4L);
			ImagePlus v0 = (ImagePlus) drawn[0].getOutput("result"), v1 = (ImagePlus) drawn[1].getOutput("result");
			assertEquals(3, v0.getStackSize());
			for (int i = 1; i <= 3; i++)
				org.junit.jupiter.api.Assertions.assertArrayEquals((int[]) v0.getStack().getPixels(i), (int[]) v1.getStack().getPixels(i), "variation " + i);

			// a stack slice by slice: its second slice gives the reference's image, the other slice its own
			ImageStack two = new ImageStack(image.getWidth(), image.getHeight());
			two.addSlice("other", style.getProcessor().resize(image.getWidth(), image.getHeight()));
			two.addSlice("image", image.getProcessor());
			CommandModule stacked = run("input", new ImagePlus("stack", two), "model", f.resolve("munit_gen.pt").toString(), "style", style,
				"outputtype", "float32");
			assertFalse(stacked.isCanceled(), String.valueOf(stacked.getCancelReason()));
			ImagePlus both = (ImagePlus) stacked.getOutput("result");
			assertEquals(6, both.getStackSize(), "two slices of three channels");
			double worstStacked = 0;
			for (int c = 0; c < 3; c++) {
				float[] slice2 = (float[]) both.getStack().getPixels(3 + c + 1);
				for (int i = 0; i < n; i++) worstStacked = Math.max(worstStacked, Math.abs(slice2[i] - e[c * n + i]));
			}
			assertTrue(worstStacked < 1e-4, "the stack's second slice: largest difference " + worstStacked);

			CommandModule unit = run("input", image, "model", f.resolve("unit_gen.pt").toString(), "outputtype", "float32");
			assertFalse(unit.isCanceled(), String.valueOf(unit.getCancelReason()));
			float[] ue = t.get("unit_ab").toFloatArray();
			float[] got = (float[]) ((ImagePlus) unit.getOutput("result")).getStack().getPixels(1);
			for (int i = 0; i < n; i++) assertEquals(ue[i], got[i], 1e-4, "UNIT pixel " + i);
			CommandModule unitStyle = run("input", image, "model", f.resolve("unit_gen.pt").toString(), "style", style);
			assertTrue(unitStyle.isCanceled() && unitStyle.getCancelReason().contains("UNIT"), String.valueOf(unitStyle.getCancelReason()));
		}
	}
}
