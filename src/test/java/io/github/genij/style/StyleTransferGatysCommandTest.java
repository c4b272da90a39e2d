package io.github.genij.style;

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
import ij.process.ColorProcessor;

class StyleTransferGatysCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	/** A reddish content image with a bright disc, and a blue-green striped style. */
	static ImagePlus content() {
		ColorProcessor cp = new ColorProcessor(64, 48);
		for (int y = 0; y < 48; y++)
			for (int x = 0; x < 64; x++) {
				boolean disc = (x - 32) * (x - 32) + (y - 24) * (y - 24) < 150;
				cp.set(x, y, disc ? 0xf0c0a0 : 0xa04030);
			}
		return new ImagePlus("content.png", cp);
	}

	static ImagePlus style() {
		ColorProcessor cp = new ColorProcessor(40, 40);
		for (int y = 0; y < 40; y++)
			for (int x = 0; x < 40; x++) cp.set(x, y, ((x + y) / 4) % 2 == 0 ? 0x1060c0 : 0x20c090);
		return new ImagePlus("style.png", cp);
	}

	static double[] meanRgb(ImagePlus imp) {
		int[] px = (int[]) imp.getProcessor().getPixels();
		double[] m = new double[3];
		for (int p : px)
			for (int c = 0; c < 3; c++) m[c] += (p >> (16 - 8 * c)) & 0xff;
		for (int c = 0; c < 3; c++) m[c] /= px.length;
		return m;
	}

	private static ImagePlus run(Object... keys) throws Exception {
		CommandModule m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, keys).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		return (ImagePlus) m.getOutput("result");
	}

	@Test
	void theResultTakesOnTheStylesColoursUnlessAskedToKeepTheContents() throws Exception {
		ImagePlus content = content(), style = style();
		ImagePlus styled = run("content", content, "style", style, "iterations", 40);
		assertEquals(ImagePlus.COLOR_RGB, styled.getType());
		assertEquals(64, styled.getWidth());
		assertEquals("content-gatys", styled.getTitle());
		double[] c = meanRgb(content), s = meanRgb(style), r = meanRgb(styled);
		assertTrue(r[2] > c[2] + 20, "blue rises toward the style: " + r[2] + " from " + c[2] + " (style " + s[2] + ")");
		assertTrue(r[0] < c[0] - 20, "red falls toward the style: " + r[0] + " from " + c[0]);

		ImagePlus kept = run("content", content, "style", style, "iterations", 40, "preservecolor", true);
		double[] k = meanRgb(kept);
		// red stays the dominant channel, as in the content
		assertTrue(k[0] > k[2] + 30, "the content's colours are kept: " + java.util.Arrays.toString(k));
	}

	@Test
	void grayStaysGrayAndFloat32GivesThreeChannels() throws Exception {
		ImagePlus gray = IJ.createImage("cells.tif", "16-bit ramp", 40, 32, 1);
		ImagePlus out = run("content", gray, "style", style(), "iterations", 5);
		assertEquals(16, out.getBitDepth());
		assertEquals(1, out.getNChannels());
		ImagePlus f = run("content", gray, "style", style(), "iterations", 5, "outputtype", "float32");
		assertEquals(32, f.getBitDepth());
		assertEquals(3, f.getNChannels());
	}

	@Test
	void unknownLayersAndFeaturesAreRefusedClearly() throws Exception {
		CommandModule m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, "content",
			content(), "style", style(), "stylelayers", "r11,r61").get();
		assertTrue(m.getCancelReason().startsWith("Unknown VGG layer 'r61'"), m.getCancelReason());
		m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, "content", content(), "style",
			style(), "features", "/no/such/vgg.pth").get();
		assertTrue(m.getCancelReason().contains("is neither an installed model"), m.getCancelReason());
	}
}
