package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.PythonOracle;

/** Style Mixing (as style_mixing.py: mixes and the montage) and Interpolate (its key frames) against the oracle. */
class StyleGanMixingAndInterpolationTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static CommandModule run(Class<? extends Command> c, Object... keys) throws Exception {
		CommandModule m = context.service(CommandService.class).run(c, true, keys).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		return m;
	}

	/** Channel c of image i of a float32 stack (channels inner), as [H*W]. */
	private static float[] plane(ImagePlus imp, int image, int c) {
		return (float[]) imp.getStack().getPixels(imp.getStackIndex(c + 1, image + 1, 1));
	}

	private static void assertImage(float[] expected, ImagePlus imp, int image, int x0, int y0, int size, String what) {
		int w = imp.getWidth();
		for (int c = 0; c < 3; c++) {
			float[] p = plane(imp, image, c);
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++)
					assertEquals(expected[(c * size + y) * size + x], p[(y0 + y) * w + x0 + x], 1e-4, what + " c" + c + " " + x + "," + y);
		}
	}

	@Test
	void mixesAndTheMontageAreStyleMixingPys() throws Exception {
		Path f = StyleGanFidelityTest.folder();
		CommandModule m = run(StyleGanStyleMixingCommand.class, "model", f.resolve("skip32.pkl").toString(), "rowseeds", "0",
			"colseeds", "1", "styles", "0-3", "outputtype", "float32");
		ImagePlus mixes = (ImagePlus) m.getOutput("result"), grid = (ImagePlus) m.getOutput("grid");
		assertEquals(64, grid.getWidth());
		assertEquals(64, grid.getHeight());
		try (NDManager nd = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> e = PythonOracle.tensors(nd, f, "skip32");
			float[] mix = e.get("mix").toFloatArray(), row = e.get("img0_psi1_const").toFloatArray(), col = e.get("img1_psi1_const").toFloatArray();
			assertImage(mix, mixes, 0, 0, 0, 32, "mix");
			assertImage(col, grid, 0, 32, 0, 32, "column image across the top");
			assertImage(row, grid, 0, 0, 32, 32, "row image down the side");
			assertImage(mix, grid, 0, 32, 32, 32, "mix where they cross");
		}
		ImagePlus rgb = (ImagePlus) run(StyleGanStyleMixingCommand.class, "model", f.resolve("skip32.pkl").toString(), "rowseeds",
			"0", "colseeds", "1").getOutput("grid");
		assertEquals(0, rgb.getProcessor().get(5, 5) & 0xffffff, "a black corner");
	}

	@Test
	void interpolationStartsAndEndsAtItsKeysInBothSpaces() throws Exception {
		Path f = StyleGanFidelityTest.folder();
		try (NDManager nd = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> e = PythonOracle.tensors(nd, f, "skip32");
			for (String space : new String[] { "w", "z" }) {
				ImagePlus frames = (ImagePlus) run(StyleGanInterpolateCommand.class, "model", f.resolve("skip32.pkl").toString(),
					"seeds", "0,1", "frames", 4, "space", space, "outputtype", "float32").getOutput("result");
				assertEquals(5, frames.getNSlices(), "4 frames per transition and the last key");
				assertImage(e.get("img0_psi1_const").toFloatArray(), frames, 0, 0, 0, 32, space + " first key");
				assertImage(e.get("img1_psi1_const").toFloatArray(), frames, 4, 0, 0, 32, space + " last key");
				assertTrue(frames.getStack().getSliceLabel(frames.getStackIndex(1, 3, 1)).contains("t 0.500"));
			}
			ImagePlus looped = (ImagePlus) run(StyleGanInterpolateCommand.class, "model", f.resolve("skip32.pkl").toString(),
				"seeds", "0,1", "frames", 3, "loop", true).getOutput("result");
			assertEquals(6, looped.getStackSize(), "two transitions of 3, back to the first key");
		}
	}
}
