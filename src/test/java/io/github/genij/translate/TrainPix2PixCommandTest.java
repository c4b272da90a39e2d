package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.genij.core.weights.ModelStore;

/** Train pix2pix as a Fiji user (or a macro) runs it: folders in, an installed model and a preview out. */
class TrainPix2PixCommandTest {

	@TempDir
	static Path dir;
	private static Context context;

	@BeforeAll
	static void start() throws Exception {
		context = new Context();
		System.setProperty(ModelStore.PROPERTY, dir.resolve("store").toString());
		// 6 pairs as 8-bit PNGs: A/shapeN.png, B/shapeN.tif; plus files a user's folder really holds
		Files.createDirectories(dir.resolve("A"));
		Files.createDirectories(dir.resolve("B"));
		Files.createDirectories(dir.resolve("AB"));
		List<TrainingPair> pairs = SyntheticPairs.make(6, 32, 11);
		for (TrainingPair p : pairs) {
			new FileSaver(gray(p.a)).saveAsPng(dir.resolve("A").resolve(p.name + ".png").toString());
			new FileSaver(gray(p.b)).saveAsTiff(dir.resolve("B").resolve(p.name + ".tif").toString());
			ByteProcessor ab = new ByteProcessor(64, 32);
			ab.insert(gray(p.a).getProcessor(), 0, 0);
			ab.insert(gray(p.b).getProcessor(), 32, 0);
			new FileSaver(new ImagePlus(p.name, ab)).saveAsPng(dir.resolve("AB").resolve(p.name + ".png").toString());
		}
		Files.writeString(dir.resolve("A").resolve("notes.txt"), "not an image");
		Files.writeString(dir.resolve("B").resolve("notes.txt"), "not an image");
		Files.write(dir.resolve("A").resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2 });
		Files.write(dir.resolve("B").resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2 });
		new FileSaver(new ImagePlus("lonely", new ByteProcessor(32, 32))).saveAsPng(dir.resolve("A").resolve("lonely.png").toString());
		// a float image with a NaN pixel and its partner: left out with the reason, the training goes on
		FloatProcessor withNaN = new FloatProcessor(32, 32);
		withNaN.setf(4, 5, Float.NaN);
		new FileSaver(new ImagePlus("nan", withNaN)).saveAsTiff(dir.resolve("A").resolve("nan.tif").toString());
		new FileSaver(new ImagePlus("nan", new ByteProcessor(32, 32))).saveAsTiff(dir.resolve("B").resolve("nan.tif").toString());
		new FileSaver(new ImagePlus("odd", new ByteProcessor(33, 32))).saveAsPng(dir.resolve("AB").resolve("odd.png").toString());
	}

	@AfterAll
	static void stop() {
		System.clearProperty(ModelStore.PROPERTY);
		context.dispose();
	}

	private static ImagePlus gray(float[] values) {
		FloatProcessor fp = new FloatProcessor(32, 32, values.clone());
		fp.multiply(127.5);
		fp.add(127.5);
		return new ImagePlus("pair", fp.convertToByteProcessor(false));
	}

	private static CommandModule run(Class<? extends org.scijava.command.Command> c, Object... keys) throws Exception {
		return context.service(CommandService.class).run(c, true, keys).get();
	}

	@Test
	void trainsFromTwoFoldersInstallsTheModelAndTranslateAppliesIt() throws Exception {
		CommandModule m = run(TrainPix2PixCommand.class, "folder_a", dir.resolve("A").toString(), "folder_b",
			dir.resolve("B").toString(), "arch", "unet_32", "ngf", 8, "epochs", 2, "cropsize", 32, "output", "shapes");
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		ImagePlus preview = (ImagePlus) m.getOutput("preview");
		assertEquals(2, preview.getStackSize(), "a preview per epoch");
		assertEquals(96, preview.getWidth(), "A | G(A) | B");
		assertTrue(preview.getStack().getSliceLabel(2).startsWith("epoch 2, validation L1"));
		Path folder = dir.resolve("store").resolve("shapes");
		assertTrue(Files.isRegularFile(folder.resolve("model.json")));
		assertTrue(Files.isRegularFile(folder.resolve(TrainedModels.GENERATOR_FILE)));
		assertTrue(Files.isRegularFile(dir.resolve("store").resolve(".shapes.training.safetensors")),
			"the training state is kept, so that more epochs can follow");

		ImagePlus input = IJ.openImage(dir.resolve("A").resolve("pair0.png").toString());
		CommandModule t = run(TranslateCommand.class, "input", input, "model", "shapes");
		assertFalse(t.isCanceled(), String.valueOf(t.getCancelReason()));
		ImagePlus out = (ImagePlus) t.getOutput("result");
		assertEquals(32, out.getWidth());
		assertEquals(8, out.getBitDepth());

		// the same number of epochs again: refused, naming the three ways on
		CommandModule again = run(TrainPix2PixCommand.class, "folder_a", dir.resolve("A").toString(), "folder_b",
			dir.resolve("B").toString(), "arch", "unet_32", "ngf", 8, "epochs", 2, "cropsize", 32, "output", "shapes");
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("'shapes' is installed, trained for 2 epochs. Give epochs=<more than 2> " +
			"to train it further, restart=true"), again.getCancelReason());
		// other images (here the same, the other way round) cannot continue it
		CommandModule other = run(TrainPix2PixCommand.class, "folder_a", dir.resolve("A").toString(), "folder_b",
			dir.resolve("B").toString(), "direction", "btoa", "arch", "unet_32", "ngf", 8, "epochs", 3, "cropsize", 32,
			"output", "shapes");
		assertTrue(other.isCanceled());
		assertTrue(other.getCancelReason().contains("was made with other images"), other.getCancelReason());
		String before = Files.readString(folder.resolve("model.json"));
		assertTrue(before.contains("\"epochs\": 2"), before);
		// more epochs continue it and replace the installed model
		CommandModule more = run(TrainPix2PixCommand.class, "folder_a", dir.resolve("A").toString(), "folder_b",
			dir.resolve("B").toString(), "arch", "unet_32", "ngf", 8, "epochs", 3, "cropsize", 32, "output", "shapes");
		assertFalse(more.isCanceled(), String.valueOf(more.getCancelReason()));
		assertEquals(1, ((ImagePlus) more.getOutput("preview")).getStackSize(), "one more epoch ran");
		assertTrue(Files.readString(folder.resolve("model.json")).contains("\"epochs\": 3"));
		// restart=true trains it again from scratch, with other images too
		CommandModule fresh = run(TrainPix2PixCommand.class, "folder_ab", dir.resolve("AB").toString(), "arch", "unet_32",
			"ngf", 8, "epochs", 1, "cropsize", 32, "output", "shapes", "restart", true);
		assertFalse(fresh.isCanceled(), String.valueOf(fresh.getCancelReason()));
		assertTrue(Files.readString(folder.resolve("model.json")).contains("\"epochs\": 1"));
	}

	/** A model Train pix2pix did not make is never replaced by a training, not even with restart=true. */
	@Test
	void anImportedModelOfTheSameNameIsLeftAlone() throws Exception {
		ModelStore store = new ModelStore(dir.resolve("store"));
		io.github.genij.core.weights.ModelCard card = new io.github.genij.core.weights.ModelCard();
		card.name = "imported";
		card.family = TranslateFamily.NAME;
		card.provenance.tool = "GenIJ Import Checkpoint";
		store.install(card, java.util.Map.of(), false);
		byte[] before = Files.readAllBytes(dir.resolve("store").resolve("imported").resolve("model.json"));
		CommandModule m = run(TrainPix2PixCommand.class, "folder_ab", dir.resolve("AB").toString(), "arch", "unet_32",
			"ngf", 4, "epochs", 1, "cropsize", 32, "output", "imported", "restart", true);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("that Train pix2pix did not make; it is left alone"), m.getCancelReason());
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("store").resolve("imported").resolve("model.json"))));
	}

	@Test
	void trainsFromSideBySideImagesInTheOtherDirection() throws Exception {
		CommandModule m = run(TrainPix2PixCommand.class, "folder_ab", dir.resolve("AB").toString(), "direction", "btoa",
			"arch", "unet_32", "ngf", 4, "epochs", 1, "cropsize", 32, "ganloss", "lsgan", "output", "shapes-btoa");
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		assertTrue(new ModelStore(dir.resolve("store")).contains("shapes-btoa"));
	}

	@Test
	void anImageJMacroTrainsWithLowerCaseKeys() throws Exception {
		try (io.github.genij.ij.macro.MacroHarness h = new io.github.genij.ij.macro.MacroHarness(context)) {
			h.runText("run(\"Train pix2pix\", \"folder_ab=[" + dir.resolve("AB") + "] arch=unet_32 ngf=4 epochs=1 cropsize=32 " +
				"ganloss=lsgan restart output=from-macro\");", new java.util.HashMap<>());
		}
		assertTrue(new ModelStore(dir.resolve("store")).contains("from-macro"));
	}

	@Test
	void badSettingsAreNamedWithTheirFix() throws Exception {
		String a = dir.resolve("A").toString(), b = dir.resolve("B").toString(), ab = dir.resolve("AB").toString();
		assertReason("not both", "folder_a", a, "folder_b", b, "folder_ab", ab, "output", "x");
		assertReason("not neither", "output", "x");
		assertReason("multiples of 256", "folder_ab", ab, "cropsize", 100, "output", "x");
		assertReason("not a usable model name", "folder_ab", ab, "output", "../evil");
		assertReason("is not a folder", "folder_ab", dir.resolve("nowhere").toString(), "output", "x");
		assertReason("direction=sideways is not allowed: use atob or btoa.", "folder_ab", ab, "direction", "sideways", "output", "x");
	}

	private static void assertReason(String expected, Object... keys) throws Exception {
		CommandModule m = run(TrainPix2PixCommand.class, keys);
		assertTrue(m.isCanceled(), "should refuse: " + expected);
		assertTrue(m.getCancelReason().contains(expected), m.getCancelReason());
	}
}
