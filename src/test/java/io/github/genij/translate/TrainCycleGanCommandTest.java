package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

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
 * Train CycleGAN from two unpaired folders: both directions are installed and Translate applies each by name; the four
 * reference files are written beside A->B; more epochs under the same name continue the kept state.
 */
class TrainCycleGanCommandTest {

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
	void trainsBothDirectionsAndTranslateAppliesThem() throws Exception {
		Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
		for (int k = 0; k < 3; k++) {
			new FileSaver(IJ.createImage("a" + k, "8-bit ramp", 36, 36, 1)).saveAsTiff(a.resolve("a" + k + ".tif").toString());
			new FileSaver(IJ.createImage("b" + k, "8-bit noise", 40, 36, 1)).saveAsTiff(b.resolve("b" + k + ".tif").toString());
		}
		Object[] keys = { "folder_a", a.toFile(), "folder_b", b.toFile(), "arch", "resnet_6blocks", "ngf", 2, "epochs", 2, "cropsize", 32, "output",
			"ramps2noise" };
		var r = Commands.run(TrainCycleGanCommand.class, keys);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		assertEquals(2, ((ImagePlus) r.getOutput("preview")).getStackSize(), "a preview per epoch");
		Path ab = dir.resolve("store").resolve("ramps2noise");
		for (String f : new String[] { "latest_net_G_A.pth", "latest_net_G_B.pth", "latest_net_D_A.pth", "latest_net_D_B.pth" })
			assertTrue(Files.size(ab.resolve(f)) > 0, f);
		assertEquals(TrainCycleGanCommand.TOOL, ModelCard.read(dir.resolve("store").resolve("ramps2noise_BtoA").resolve(ModelCard.FILE_NAME)).provenance.tool);
		for (String model : new String[] { "ramps2noise", "ramps2noise_BtoA" }) {
			var t = Commands.run(TranslateCommand.class, "input", IJ.createImage("x", "8-bit ramp", 48, 40, 1), "model", model);
			assertFalse(t.isCanceled(), model + ": " + t.getCancelReason());
			assertEquals(48, ((ImagePlus) t.getOutput("result")).getWidth());
		}
		var again = Commands.run(TrainCycleGanCommand.class, keys);
		assertTrue(again.isCanceled() && again.getCancelReason().contains("epochs=<more than 2>"), String.valueOf(again.getCancelReason()));
	}
}
