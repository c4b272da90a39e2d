package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.ModelCard;

class FastStyleCommandTest {

	@Test
	void runsWholeAndTiledAndRefusesBadWeights() throws Exception {
		String model = StyleOracle.folder().resolve("fast_style.pth").toString();
		ImagePlus in = IJ.createImage("photo.png", "RGB noise", 70, 50, 1);
		try (Context context = new Context()) {
			CommandService cs = context.service(CommandService.class);
			CommandModule whole = cs.run(StyleTransferFastCommand.class, true, "input", in, "model", model).get();
			assertFalse(whole.isCanceled(), String.valueOf(whole.getCancelReason()));
			ImagePlus r = (ImagePlus) whole.getOutput("result");
			assertEquals(70, r.getWidth());
			assertEquals(ImagePlus.COLOR_RGB, r.getType());
			CommandModule tiled = cs.run(StyleTransferFastCommand.class, true, "input", in, "model", model, "tilesize", 64).get();
			assertFalse(tiled.isCanceled(), String.valueOf(tiled.getCancelReason()));
			assertEquals(50, ((ImagePlus) tiled.getOutput("result")).getHeight());
			CommandModule bad = cs.run(StyleTransferFastCommand.class, true, "input", in, "model", model, "styleweights", "0.5,0.5")
				.get();
			assertTrue(bad.getCancelReason().contains("this model holds 1 style"), bad.getCancelReason());
			CommandModule none = cs.run(StyleTransferFastCommand.class, true, "input", in).get();
			assertTrue(none.getCancelReason().startsWith("Give model="), none.getCancelReason());
		}
	}

	/** Every slice of a stack is styled, each exactly as it would be alone. */
	@Test
	void aStackGivesEverySliceStyledAsIfAlone() throws Exception {
		String model = StyleOracle.folder().resolve("fast_style.pth").toString();
		ImagePlus stack = IJ.createImage("stack.tif", "RGB noise", 40, 30, 3);
		try (Context context = new Context()) {
			CommandService cs = context.service(CommandService.class);
			ImagePlus all = (ImagePlus) cs.run(StyleTransferFastCommand.class, true, "input", stack, "model", model).get().getOutput("result");
			assertEquals(3, all.getStackSize());
			for (int z = 1; z <= 3; z++) {
				ImagePlus slice = new ImagePlus("slice" + z, stack.getStack().getProcessor(z).duplicate());
				ImagePlus alone = (ImagePlus) cs.run(StyleTransferFastCommand.class, true, "input", slice, "model", model).get()
					.getOutput("result");
				assertArrayEquals((int[]) alone.getProcessor().getPixels(), (int[]) all.getStack().getProcessor(z).getPixels(),
					"slice " + z);
			}
			assertFalse(java.util.Arrays.equals((int[]) all.getStack().getProcessor(1).getPixels(),
				(int[]) all.getStack().getProcessor(2).getPixels()), "different slices, different results");
		}
	}

	@Test
	void weightsByNameFollowTheModelCard() {
		ModelCard card = new ModelCard();
		card.parameters.put("styles", List.of("candy", "mosaic", "udnie"));
		assertArrayEquals(new double[] { 0, 0.7, 0.3 }, StyleTransferFastCommand.parseWeights("mosaic=0.7,udnie=0.3", 3, card), 0);
		assertArrayEquals(new double[] { 0.2, 0.5, 0.3 }, StyleTransferFastCommand.parseWeights("0.2, 0.5, 0.3", 3, null), 0);
		GenIJException e = assertThrows(GenIJException.class, () -> StyleTransferFastCommand.parseWeights("scream=1", 3, card));
		assertTrue(e.getMessage().contains("[candy, mosaic, udnie]"), e.getMessage());
	}
}
