package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;

class TranslateCommandTest {

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
		return context.service(CommandService.class).run(TranslateCommand.class, true, keys).get();
	}

	/** A 16-bit two-slice stack with smooth structure, 400x300 (not a multiple of 256). */
	private static ImagePlus stack() {
		ImagePlus imp = IJ.createHyperStack("cells.tif", 400, 300, 1, 2, 1, 16);
		for (int z = 1; z <= 2; z++) {
			ImageProcessor ip = imp.getStack().getProcessor(z);
			for (int y = 0; y < 300; y++)
				for (int x = 0; x < 400; x++) ip.set(x, y, (int) (2000 + 1500 * Math.sin(x / (17.0 + z)) * Math.cos(y / 23.0)));
		}
		return imp;
	}

	@Test
	void tiledEqualsWholeForAGeneratorWhoseReachFitsTheHalo() throws Exception {
		String model = GeneratorFidelityTest.folder().resolve("resnet6_batch_gray.pth").toString();
		ImagePlus in = stack();
		CommandModule whole = run("input", in, "model", model, "outputtype", "float32");
		assertFalse(whole.isCanceled(), String.valueOf(whole.getCancelReason()));
		CommandModule tiled = run("input", in, "model", model, "outputtype", "float32", "tilesize", 230);
		assertFalse(tiled.isCanceled(), String.valueOf(tiled.getCancelReason()));
		ImagePlus a = (ImagePlus) whole.getOutput("result"), b = (ImagePlus) tiled.getOutput("result");
		assertEquals(2, a.getNSlices(), "every slice");
		assertEquals(32, a.getBitDepth());
		double worst = 0, range = 0;
		for (int z = 1; z <= 2; z++) {
			float[] pa = (float[]) a.getStack().getPixels(z), pb = (float[]) b.getStack().getPixels(z);
			for (int i = 0; i < pa.length; i++) {
				worst = Math.max(worst, Math.abs(pa[i] - pb[i]));
				range = Math.max(range, Math.abs(pa[i]));
			}
		}
		assertTrue(worst <= 1e-4 * range, "tiled vs whole: " + worst + " of " + range);
	}

	@Test
	void unetOnAnyShapeAndClearErrors() throws Exception {
		String unet = GeneratorFidelityTest.folder().resolve("unet256_batch.pth").toString();
		ImagePlus rgb = IJ.createImage("photo.png", "RGB noise", 300, 200, 1);
		CommandModule ok = run("input", rgb, "model", unet);
		assertFalse(ok.isCanceled(), String.valueOf(ok.getCancelReason()));
		ImagePlus r = (ImagePlus) ok.getOutput("result");
		assertEquals(300, r.getWidth());
		assertEquals(ImagePlus.COLOR_RGB, r.getType());
		CommandModule imageStats = run("input", rgb, "model", unet, "bnstats", "image");
		assertFalse(imageStats.isCanceled(), String.valueOf(imageStats.getCancelReason()));

		CommandModule gray = run("input", stack(), "model", unet);
		assertTrue(gray.getCancelReason().startsWith("The model takes 3 channel(s) but 'cells.tif' has 1"), gray.getCancelReason());
		CommandModule tiledImageStats = run("input", IJ.createImage("big", "RGB noise", 1200, 300, 1), "model", unet,
			"bnstats", "image", "tilesize", 512);
		assertTrue(tiledImageStats.getCancelReason().startsWith("bnstats=image uses the statistics of the whole image"),
			tiledImageStats.getCancelReason());
		CommandModule notAGenerator = run("input", rgb, "model", GeneratorFidelityTest.folder().resolve("unet256_batch.safetensors")
			.toString());
		assertTrue(notAGenerator.getCancelReason().contains("not a pix2pix/CycleGAN generator"), notAGenerator.getCancelReason());
	}
}
