package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class CommandBaseTest {

	private static Context context;
	private static CommandService commands;

	@BeforeAll
	static void start() {
		context = new Context();
		commands = context.service(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static CommandModule run(Object... inputs) throws Exception {
		return commands.run(BoxBlurTestCommand.class, true, inputs).get();
	}

	/** The 3x3 mean with zeros outside the image, computed without the network. */
	private static double boxMean(ImageProcessor ip, int x, int y) {
		double sum = 0;
		for (int dy = -1; dy <= 1; dy++)
			for (int dx = -1; dx <= 1; dx++) {
				int xx = x + dx, yy = y + dy;
				if (xx >= 0 && yy >= 0 && xx < ip.getWidth() && yy < ip.getHeight()) sum += ip.getf(xx, yy);
			}
		return sum / 9;
	}

	private static ImagePlus noisyStack(int bits) {
		ImagePlus imp = IJ.createHyperStack("cells.tif", 90, 70, 2, 3, 1, bits);
		java.util.Random r = new java.util.Random(5);
		for (int i = 1; i <= imp.getStackSize(); i++) {
			ImageProcessor ip = imp.getStack().getProcessor(i);
			for (int p = 0; p < ip.getPixelCount(); p++) ip.setf(p, bits == 16 ? 1000 + r.nextInt(3000) : r.nextInt(256));
		}
		imp.getCalibration().pixelWidth = 0.25;
		imp.getCalibration().setUnit("mm");
		return imp;
	}

	@Test
	void engineInfoReportsTheEngine() throws Exception {
		CommandModule m = commands.run(EngineInfoCommand.class, true, "device", "cpu").get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		String report = (String) m.getOutput("report");
		assertTrue(report.contains("engine: PyTorch 2.7.1"), report);
		assertTrue(report.contains("device (chosen): cpu()"), report);
	}

	@Test
	void anImageCommandKeepsTypeShapeAndCalibrationAndComputesTheRightValues() throws Exception {
		ImagePlus input = noisyStack(8);
		// tiles of 32 px cut the 90x70 image into many windows
		CommandModule m = run("input", input, "tilesize", 32);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ImagePlus out = (ImagePlus) m.getOutput("result");
		assertEquals("cells-blurred", out.getTitle());
		assertEquals(8, out.getBitDepth());
		assertEquals(2, out.getNChannels());
		assertEquals(3, out.getNSlices());
		assertEquals(0.25, out.getCalibration().pixelWidth, 0);
		assertEquals("mm", out.getCalibration().getUnit());
		for (int i = 1; i <= input.getStackSize(); i++) {
			ImageProcessor a = input.getStack().getProcessor(i), b = out.getStack().getProcessor(i);
			for (int y = 0; y < 70; y += 3)
				for (int x = 0; x < 90; x += 1)
					assertEquals(Math.round(boxMean(a, x, y)), b.get(x, y), 1, "plane " + i + " at " + x + "," + y);
		}
		assertFalse(BoxBlurTestCommand.last.holdsNativeMemory(), "native memory closed after success");
	}

	@Test
	void float32OutputKeepsUnroundedValuesInTheInputScale() throws Exception {
		ImagePlus input = noisyStack(16);
		CommandModule m = run("input", input, "outputtype", "float32");
		ImagePlus out = (ImagePlus) m.getOutput("result");
		assertEquals(32, out.getBitDepth());
		for (int i = 1; i <= input.getStackSize(); i++) {
			ImageProcessor a = input.getStack().getProcessor(i), b = out.getStack().getProcessor(i);
			for (int y = 1; y < 69; y += 5)
				for (int x = 1; x < 89; x += 2) {
					double expected = boxMean(a, x, y);
					assertEquals(expected, b.getf(x, y), 2e-3, "plane " + i + " at " + x + "," + y);
				}
		}
	}

	@Test
	void rgbStaysRgb() throws Exception {
		ImagePlus input = IJ.createImage("photo.png", "RGB noise", 40, 30, 1);
		ImagePlus out = (ImagePlus) run("input", input).getOutput("result");
		assertEquals(ImagePlus.COLOR_RGB, out.getType());
		int expectedRed = 0;
		ImageProcessor a = input.getProcessor();
		for (int dy = -1; dy <= 1; dy++)
			for (int dx = -1; dx <= 1; dx++) expectedRed += (a.get(10 + dx, 10 + dy) >> 16) & 0xff;
		assertEquals(Math.round(expectedRed / 9.0), (out.getProcessor().get(10, 10) >> 16) & 0xff, 1);
	}

	@Test
	void failuresCancelWithTheirMessageAndFreeNativeMemory() throws Exception {
		ImagePlus input = noisyStack(8);
		CommandModule user = run("input", input, "failwith", "usererror");
		assertTrue(user.isCanceled());
		assertEquals("The input is unsuitable: try another.", user.getCancelReason());
		assertFalse(BoxBlurTestCommand.last.holdsNativeMemory(), "closed after a user error");
		CommandModule crash = run("input", input, "failwith", "crash");
		assertTrue(crash.getCancelReason().contains("boom"), crash.getCancelReason());
		assertFalse(BoxBlurTestCommand.last.holdsNativeMemory(), "closed after a crash");
		CommandModule cancelled = run("input", input, "failwith", "cancel");
		assertTrue(cancelled.isCanceled());
		assertNull(cancelled.getOutput("result"));
		assertFalse(BoxBlurTestCommand.last.holdsNativeMemory(), "closed after cancel");
	}

	@Test
	void aDeviceThisMachineLacksIsRefusedClearly() throws Exception {
		CommandModule m = run("input", noisyStack(8), "device", "gpu3");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().startsWith("Device gpu3 was asked for"), m.getCancelReason());
	}
}
