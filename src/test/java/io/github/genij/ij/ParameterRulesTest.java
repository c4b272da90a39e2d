package io.github.genij.ij;

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
import io.github.genij.style.StyleTransferGatysCommand;

/** Keys are checked in one place: choices, ranges and types, with one line naming key, value and what is allowed. */
class ParameterRulesTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static String refusal(Object... keysAndValues) throws Exception {
		ImagePlus a = IJ.createImage("a", "RGB noise", 16, 16, 1), b = IJ.createImage("b", "RGB noise", 16, 16, 1);
		Object[] all = new Object[keysAndValues.length + 4];
		all[0] = "content";
		all[1] = a;
		all[2] = "style";
		all[3] = b;
		System.arraycopy(keysAndValues, 0, all, 4, keysAndValues.length);
		CommandModule m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, all).get();
		assertTrue(m.isCanceled(), "refused: " + java.util.Arrays.toString(keysAndValues));
		return m.getCancelReason();
	}

	@Test
	void choicesRangesAndNonFiniteNumbersAreRefusedBeforeAnyWork() throws Exception {
		assertEquals("optimizer=lgbfs is not allowed: use lbfgs or adam.", refusal("optimizer", "lgbfs", "iterations", 1));
		assertEquals("init=zeros is not allowed: use content or noise.", refusal("init", "zeros", "iterations", 1));
		assertEquals("iterations=0 is too small: give 1 or more.", refusal("iterations", 0));
		assertEquals("styleweight=NaN is not a finite number.", refusal("styleweight", Double.NaN, "iterations", 1));
	}

	@Test
	void choicesAreTakenInAnyCaseAndRunInTheirDeclaredSpelling() throws Exception {
		ImagePlus a = IJ.createImage("a", "RGB noise", 16, 16, 1), b = IJ.createImage("b", "RGB noise", 16, 16, 1);
		CommandModule m = context.service(CommandService.class).run(StyleTransferGatysCommand.class, true, "content", a, "style", b,
			"optimizer", " Adam ", "iterations", 2).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
	}
}
