package io.github.genij.pixelcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.genij.cli.GenIJCli;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.PythonOracle;

/**
 * The PixelCNN commands on the oracle's models: the likelihood map and bits/dim are the reference's (and reach the
 * Results table and the CLI's output); samples repeat per seed whatever the count; completions keep every pixel
 * outside the mask or selection; images of the wrong kind are refused with the conversion that fixes them.
 */
class PixelCnnCommandTest {

	private static Context context;
	private static Path oracle;

	@BeforeAll
	static void start() {
		context = new Context();
		oracle = PythonOracle.generate("pixelcnn_oracle.py");
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static CommandModule run(Class<? extends PixelCnnCommand> command, Object... keys) throws Exception {
		return context.service(CommandService.class).run(command, true, keys).get();
	}

	private static String model(String name) {
		return oracle.resolve(name + ".pth").toString();
	}

	/** The oracle's RGB test image as an ImagePlus, and its expected map in bits. */
	private static ImagePlus rgbImage(Map<String, NDArray> t, String tag) {
		NDArray img = t.get(tag + "_image");
		int h = (int) img.getShape().get(2), w = (int) img.getShape().get(3), n = w * h;
		float[] v = img.toFloatArray();
		int[] p = new int[n];
		for (int i = 0; i < n; i++) p[i] = (Math.round(v[i]) << 16) | (Math.round(v[n + i]) << 8) | Math.round(v[2 * n + i]);
		return new ImagePlus("rgb-" + tag, new ColorProcessor(w, h, p));
	}

	@Test
	void likelihoodMapAndBitsPerDimAreTheReferences() throws Exception {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, oracle, "rgb");
			ImagePlus square = rgbImage(t, "square"), odd = rgbImage(t, "odd");
			ImageStack both = new ImageStack(16, 16);
			both.addSlice("a", square.getProcessor());
			both.addSlice("b", square.getProcessor().duplicate());
			ResultsTable table = ResultsTable.getResultsTable();
			int rowsBefore = table == null ? 0 : table.size();
			for (ImagePlus imp : new ImagePlus[] { square, odd, new ImagePlus("stack", both) }) {
				CommandModule r = run(PixelCnnLikelihoodCommand.class, "image", imp, "model", model("rgb"));
				assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
				ImagePlus map = (ImagePlus) r.getOutput("result");
				assertEquals(imp.getStackSize(), map.getStackSize());
				String tag = imp == odd ? "odd" : "square";
				float[] nats = t.get(tag + "_nll").toFloatArray();
				double total = 0, worst = 0, scale = 1;
				for (int s = 1; s <= map.getStackSize(); s++) {
					float[] bits = (float[]) map.getStack().getPixels(s);
					for (int i = 0; i < bits.length; i++) {
						double expected = nats[i] / Math.log(2);
						scale = Math.max(scale, Math.abs(expected));
						worst = Math.max(worst, Math.abs(bits[i] - expected));
					}
				}
				assertTrue(worst < 1e-4 * scale, imp.getTitle() + ": the map is the reference's NLL in bits; largest difference " + worst);
				for (float v : nats) total += v;
				double bpd = total / Math.log(2) / (3.0 * imp.getWidth() * imp.getHeight());
				assertEquals(bpd, (Double) r.getOutput("bitsperdim"), 1e-4 * bpd, imp.getTitle() + ": bits/dim");
			}
			table = ResultsTable.getResultsTable();
			assertEquals(rowsBefore + 4, table.size(), "one Results row per slice");
			assertEquals(2, (int) table.getValue("slice", table.size() - 1));

			// the CLI prints the figure
			Path file = Path.of("target", "pixelcnn-square.tif");
			new FileSaver(square).saveAsTiff(file.toString());
			ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			int code = new GenIJCli(new PrintStream(o, true), new PrintStream(e, true), context).run(new String[] { "run", "PixelCNN Likelihood",
				"image=" + file, "model=" + model("rgb") });
			String out = o.toString(StandardCharsets.UTF_8);
			assertEquals(GenIJCli.OK, code, e.toString(StandardCharsets.UTF_8));
			assertTrue(out.matches("(?s).*bitsperdim: \\d+\\.\\d+.*"), out);
		}
	}

	@Test
	void imagesOfTheWrongKindAreRefusedWithTheFix() throws Exception {
		ImagePlus rgb = new ImagePlus("colour", new ColorProcessor(8, 8));
		CommandModule r = run(PixelCnnLikelihoodCommand.class, "image", rgb, "model", model("grey"));
		assertTrue(r.isCanceled());
		assertTrue(r.getCancelReason().contains("Image > Type > 8-bit"), r.getCancelReason());
		ImagePlus grey = new ImagePlus("grey", new ByteProcessor(8, 8));
		r = run(PixelCnnLikelihoodCommand.class, "image", grey, "model", model("rgb"));
		assertTrue(r.getCancelReason().contains("Image > Type > RGB Color"), r.getCancelReason());
		r = run(PixelCnnLikelihoodCommand.class, "image", new ImagePlus("deep", new ShortProcessor(8, 8)), "model", model("grey"));
		assertTrue(r.getCancelReason().contains("16-bit"), r.getCancelReason());
	}

	@Test
	void samplesRepeatPerSeedWhateverTheCount() throws Exception {
		ImagePlus two = (ImagePlus) run(PixelCnnSampleCommand.class, "model", model("rgb"), "width", 5, "height", 4, "count", 2, "seed", 9L)
			.getOutput("result");
		ImagePlus one = (ImagePlus) run(PixelCnnSampleCommand.class, "model", model("rgb"), "width", 5, "height", 4, "count", 1, "seed", 9L)
			.getOutput("result");
		ImagePlus other = (ImagePlus) run(PixelCnnSampleCommand.class, "model", model("rgb"), "width", 5, "height", 4, "count", 1, "seed", 10L)
			.getOutput("result");
		assertEquals(2, two.getStackSize());
		assertEquals(ImagePlus.COLOR_RGB, two.getType());
		assertArrayEquals((int[]) one.getStack().getPixels(1), (int[]) two.getStack().getPixels(1), "image 0 of seed 9 whatever the count");
		assertArrayEquals((int[]) other.getStack().getPixels(1), (int[]) two.getStack().getPixels(2), "image 1 of seed 9 is image 0 of seed 10");
		assertNotEquals(java.util.Arrays.toString((int[]) one.getStack().getPixels(1)), java.util.Arrays.toString((int[]) other.getStack().getPixels(1)));
		assertEquals("seed 9 + 1", two.getStack().getSliceLabel(2));
	}

	@Test
	void completionsKeepEveryPixelOutsideTheMaskOrSelection() throws Exception {
		int w = 12, h = 10;
		ByteProcessor ip = new ByteProcessor(w, h);
		for (int i = 0; i < w * h; i++) ip.set(i, (i * 37) % 256);
		ImagePlus image = new ImagePlus("photo", ip);
		ByteProcessor maskIp = new ByteProcessor(w, h);
		for (int y = 3; y < 6; y++)
			for (int x = 4; x < 9; x++) maskIp.set(x, y, 255);
		boolean[][] cases = new boolean[2][];
		for (int c = 0; c < 2; c++) {
			CommandModule r;
			if (c == 0) r = run(PixelCnnCompleteCommand.class, "image", image, "mask", new ImagePlus("mask", maskIp), "model", model("grey"),
				"samples", 3, "seed", 1L);
			else {
				image.setRoi(new Roi(4, 3, 5, 3));
				r = run(PixelCnnCompleteCommand.class, "image", image, "model", model("grey"), "samples", 3, "seed", 1L);
				image.deleteRoi();
			}
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus out = (ImagePlus) r.getOutput("result");
			assertEquals(3, out.getStackSize());
			boolean changed = false;
			for (int s = 1; s <= 3; s++) {
				byte[] got = (byte[]) out.getStack().getPixels(s), in = (byte[]) ip.getPixels();
				for (int i = 0; i < got.length; i++) {
					boolean masked = maskIp.get(i) != 0;
					if (!masked) assertEquals(in[i], got[i], "pixel " + i + " outside the mask");
					else changed |= got[i] != in[i];
				}
			}
			assertTrue(changed, "the masked pixels were re-drawn");
		}
		CommandModule r = run(PixelCnnCompleteCommand.class, "image", image, "model", model("grey"));
		assertTrue(r.isCanceled());
		assertTrue(r.getCancelReason().contains("draw an area selection"), r.getCancelReason());
		r = run(PixelCnnCompleteCommand.class, "image", image, "mask", new ImagePlus("small", new ByteProcessor(3, 3)), "model", model("grey"));
		assertTrue(r.getCancelReason().contains("give a mask of the image's size"), r.getCancelReason());
	}
}
