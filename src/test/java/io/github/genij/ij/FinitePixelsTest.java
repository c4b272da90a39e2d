package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.style.StyleTransferGatysCommand;

/** Non-finite pixels are refused before any work, with their count and the first one's position. */
class FinitePixelsTest {

	@Test
	void nanAndInfinityAreCountedAndLocated() {
		ImagePlus imp = IJ.createImage("cells.tif", "32-bit ramp", 20, 10, 3);
		FinitePixels.require(imp); // finite: nothing to say
		((float[]) imp.getStack().getPixels(2))[3 * 20 + 7] = Float.NaN;
		((float[]) imp.getStack().getPixels(3))[0] = Float.POSITIVE_INFINITY;
		GenIJException e = assertThrows(GenIJException.class, () -> FinitePixels.require(imp));
		assertTrue(e.getMessage().startsWith("'cells.tif' has 2 pixel(s) that are not finite numbers (NaN or infinity), the first " +
			"at x=7, y=3 of stack image 2."), e.getMessage());
	}

	@Test
	void aCommandRefusesThemInOneLine() throws Exception {
		ImagePlus content = IJ.createImage("content.tif", "32-bit ramp", 16, 16, 1), style = IJ.createImage("s", "RGB noise", 16, 16, 1);
		((float[]) content.getProcessor().getPixels())[5] = Float.NaN;
		try (Context context = new Context()) {
			CommandModule m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, "content", content,
				"style", style, "iterations", 1).get();
			assertTrue(m.isCanceled());
			assertEquals(1, m.getCancelReason().split("\n").length, m.getCancelReason());
			assertTrue(m.getCancelReason().contains("has 1 pixel(s) that are not finite numbers"), m.getCancelReason());
		}
	}
}
