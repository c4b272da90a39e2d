package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
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
import ij.WindowManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.ij.macro.MacroHarness;
import io.github.genij.testing.PythonOracle;

/** StyleGAN Sample through SciJava and a macro, on the oracle's snapshot: NVIDIA's float and 8-bit images per seed. */
class StyleGanSampleCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static CommandModule run(Object... keys) throws Exception {
		return context.service(CommandService.class).run(StyleGanSampleCommand.class, true, keys).get();
	}

	@Test
	void seedsGiveTheReferenceImagesAsFloatAndAsNvidiasBytes() throws Exception {
		Path f = StyleGanFidelityTest.folder();
		String snapshot = f.resolve("skip32.pkl").toString();
		CommandModule floats = run("model", snapshot, "seeds", "0-1", "truncation", 0.7, "outputtype", "float32");
		assertFalse(floats.isCanceled(), String.valueOf(floats.getCancelReason()));
		ImagePlus fl = (ImagePlus) floats.getOutput("result");
		assertEquals(3, fl.getNChannels());
		assertEquals(2, fl.getNSlices(), "a plane per seed and channel");
		CommandModule bytes = run("model", snapshot, "seeds", "0-1", "truncation", 0.7);
		ImagePlus rgb = (ImagePlus) bytes.getOutput("result");
		assertEquals(ImagePlus.COLOR_RGB, rgb.getType());
		assertEquals("seed 1", rgb.getStack().getSliceLabel(2));
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> expected = PythonOracle.tensors(m, f, "skip32");
			for (int seed = 0; seed < 2; seed++) {
				float[] e = expected.get("img" + seed + "_psi07_const").toFloatArray();
				byte[] u8 = expected.get("u8_" + seed + "_psi07_const").toByteArray(); // [1, H, W, 3]
				int n = 32 * 32, differing = 0;
				for (int c = 0; c < 3; c++) {
					float[] got = (float[]) fl.getStack().getPixels(fl.getStackIndex(c + 1, seed + 1, 1));
					for (int i = 0; i < n; i++) assertEquals(e[c * n + i], got[i], 1e-4, "seed " + seed + " channel " + c + " pixel " + i);
				}
				int[] px = (int[]) rgb.getStack().getPixels(seed + 1);
				for (int i = 0; i < n; i++) {
					for (int c = 0; c < 3; c++) {
						int want = u8[i * 3 + c] & 0xff, have = (px[i] >> (16 - 8 * c)) & 0xff;
						assertTrue(Math.abs(want - have) <= 1, "seed " + seed + " pixel " + i);
						if (want != have) differing++;
					}
				}
				assertTrue(differing <= 3, differing + " of " + 3 * n + " bytes differ by one (float noise at a rounding edge)");
			}
		}
	}

	/** NVIDIA's projected_w.npz (ws, used as they are) and a .npy of z rows (truncated like seeds). */
	@Test
	void latentsFilesGiveTheSameImagesAsTheirSeeds() throws Exception {
		Path f = StyleGanFidelityTest.folder();
		String snapshot = f.resolve("skip32.pkl").toString();
		ImagePlus fromWs = (ImagePlus) run("model", snapshot, "latents", f.resolve("skip32_ws.npz").toString(), "outputtype", "float32")
			.getOutput("result");
		ImagePlus fromZ = (ImagePlus) run("model", snapshot, "latents", f.resolve("skip32_z.npy").toString(), "truncation", 0.7,
			"outputtype", "float32").getOutput("result");
		assertEquals(1, fromWs.getNSlices());
		assertEquals(2, fromZ.getNSlices());
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> expected = PythonOracle.tensors(m, f, "skip32");
			for (int seed = 0; seed < 2; seed++) {
				float[] e = expected.get("img" + seed + "_psi07_const").toFloatArray();
				for (int c = 0; c < 3; c++) {
					float[] z = (float[]) fromZ.getStack().getPixels(fromZ.getStackIndex(c + 1, seed + 1, 1));
					for (int i = 0; i < 32 * 32; i++) assertEquals(e[c * 1024 + i], z[i], 1e-4, "z row " + seed);
					if (seed == 0) {
						float[] w = (float[]) fromWs.getStack().getPixels(fromWs.getStackIndex(c + 1, 1, 1));
						for (int i = 0; i < 32 * 32; i++) assertEquals(e[c * 1024 + i], w[i], 1e-4, "ws");
					}
				}
			}
		}
		assertReason("orig_gray16.pth is not a numpy .npy array", "model", snapshot, "latents", f.resolve("orig_gray16.pth").toString());
		assertReason("holds ws of shape [1, 8, 32]; this model takes [N, 6, 8]", "model", f.resolve("orig_gray16.pth").toString(),
			"latents", f.resolve("skip32_ws.npz").toString());
	}

	@Test
	void badSettingsAreNamed() throws Exception {
		String snapshot = StyleGanFidelityTest.folder().resolve("skip32.pkl").toString();
		assertReason("seeds=5-2: the range 5-2 runs backwards", "model", snapshot, "seeds", "5-2");
		assertReason("a seed is 0 to 4294967295", "model", snapshot, "seeds", "4294967296");
		assertReason("truncationcutoff=x is not allowed", "model", snapshot, "truncationcutoff", "x");
		assertReason("Give model=", "seeds", "1");
		String conditional = StyleGanFidelityTest.folder().resolve("resnet_cond_clamp16.pkl").toString();
		assertReason("classindex=", "model", conditional, "classindex", 3);
	}

	private static void assertReason(String expected, Object... keys) throws Exception {
		CommandModule m = run(keys);
		assertTrue(m.isCanceled(), "should refuse: " + expected);
		assertTrue(m.getCancelReason().contains(expected), m.getCancelReason());
	}

	@Test
	void aMacroSamplesWithLowerCaseKeys() {
		String snapshot = StyleGanFidelityTest.folder().resolve("skip32.pkl").toString();
		try (MacroHarness h = new MacroHarness(context)) {
			String printed = h.runText("setBatchMode(true);\nrun(\"StyleGAN Sample\", \"model=[" + snapshot + "] seeds=3,5 " +
				"truncation=0.5 noise=none\");\nprint(nSlices + \" \" + getInfo(\"slice.label\"));\n", new HashMap<>());
			assertTrue(printed.contains("2 seed 3"), printed);
			assertTrue(h.failures().isEmpty(), h.failures().toString());
		}
		assertEquals(0, WindowManager.getImageCount());
	}

	/** Many seeds in one run keep native memory flat: as many arrays alive after 3 images as after 12. */
	@Test
	void liveArraysStayFlatOverManySeeds() {
		try (NDManager m = GenIJEngine.get().newBaseManager(); io.github.genij.core.engine.NoGrad g = io.github.genij.core.engine.NoGrad.enter();
			StyleGan2 net = StyleGanModels.load(new io.github.genij.core.weights.ModelStore(StyleGanFidelityTest.folder().resolve("store"))
				.resolve(StyleGanFidelityTest.folder().resolve("skip32.pkl").toString(), "model"), m))
		{
			int after3 = 0;
			for (int seed = 0; seed < 12; seed++) {
				try (NDManager step = m.newSubManager()) { // as StyleGAN Sample runs each seed
					net.generate(io.github.genij.core.random.NumpyRandom.randn(seed, net.arch.zDim), 0, 0.7, null, "random", seed, step)
						.toFloatArray();
				}
				if (seed == 2) after3 = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
			}
			assertEquals(after3, ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size(), "arrays alive after 3 images and 12");
		}
	}
}
