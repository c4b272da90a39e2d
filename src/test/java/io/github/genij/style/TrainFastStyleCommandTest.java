package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.testing.Commands;

/**
 * Train Fast Style from a folder of content images and two style images: one network with conditional instance norm is
 * installed with both styles' names, Style Transfer (Fast) applies it and blends the styles by name, pytorch/examples'
 * layout is written beside it, and more epochs under the same name are asked for.
 */
class TrainFastStyleCommandTest {

	@TempDir
	Path dir;

	@BeforeEach
	void start() {
		System.setProperty(ModelStore.PROPERTY, dir.resolve("store").toString());
	}

	@AfterEach
	void stop() {
		System.clearProperty(ModelStore.PROPERTY);
	}

	@Test
	void twoStylesInOneNetworkAppliedByName() throws Exception {
		Path content = Files.createDirectories(dir.resolve("content"));
		for (int k = 0; k < 2; k++) new FileSaver(IJ.createImage("c" + k, "RGB noise", 40, 36, 1)).saveAsPng(content.resolve("c" + k + ".png").toString());
		new FileSaver(IJ.createImage("stack", "8-bit noise", 40, 36, 2)).saveAsTiffStack(content.resolve("two-slices.tif").toString()); // two more
		Path a = dir.resolve("stripes.png"), b = dir.resolve("ramp.png");
		new FileSaver(IJ.createImage("a", "RGB ramp", 32, 32, 1)).saveAsPng(a.toString());
		new FileSaver(IJ.createImage("b", "8-bit ramp", 24, 40, 1)).saveAsPng(b.toString());
		Object[] keys = { "folder", content.toFile(), "style", a + "," + b, "epochs", 1, "batchsize", 4, "cropsize", 16, "output", "twostyles" }; // 4 needs the stack's slices
		var r = Commands.run(TrainFastStyleCommand.class, keys);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus preview = (ImagePlus) r.getOutput("preview");
		assertEquals(1, preview.getStackSize(), "a preview per epoch");
		assertEquals(3 * 16, preview.getWidth(), "the content and both styles");
		Path folder = dir.resolve("store").resolve("twostyles");
		assertTrue(Files.size(folder.resolve("transformer.pth")) > 0);
		ModelCard card = ModelCard.read(folder.resolve(ModelCard.FILE_NAME));
		assertEquals(List.of("stripes", "ramp"), card.parameters.get("styles"));
		var applied = Commands.run(StyleTransferFastCommand.class, "input", IJ.createImage("x", "RGB noise", 30, 22, 1), "model", "twostyles",
			"styleweights", "stripes=0.5,ramp=0.5");
		assertFalse(applied.isCanceled(), String.valueOf(applied.getCancelReason()));
		assertEquals(30, ((ImagePlus) applied.getOutput("result")).getWidth());
		var again = Commands.run(TrainFastStyleCommand.class, keys);
		assertTrue(again.isCanceled() && again.getCancelReason().contains("epochs=<more than 1>"), String.valueOf(again.getCancelReason()));
	}
}
