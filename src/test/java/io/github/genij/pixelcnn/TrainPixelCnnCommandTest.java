package io.github.genij.pixelcnn;

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
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;

/**
 * Train PixelCNN from a folder (a stack counts slice by slice): the model is installed with its card and the
 * reference-layout file, Likelihood uses it by name; the same name with more epochs trains further, with no more
 * it is refused saying what to do; another command's model of that name is left alone.
 */
class TrainPixelCnnCommandTest {

	@TempDir
	Path dir;
	private Context context;

	@BeforeEach
	void start() {
		System.setProperty(ModelStore.PROPERTY, dir.resolve("store").toString());
		context = new Context();
	}

	@AfterEach
	void stop() {
		context.dispose();
		System.clearProperty(ModelStore.PROPERTY);
	}

	private CommandModule train(Path folder, int epochs) throws Exception {
		return context.service(CommandService.class).run(TrainPixelCnnCommand.class, true, "folder", folder.toFile(), "nr_resnet", 1,
			"nr_filters", 4, "nr_logistic_mix", 2, "batchsize", 4, "epochs", epochs, "lr", 2e-3, "output", "stripes").get();
	}

	@Test
	void trainsInstallsAndTrainsFurther() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("images"));
		List<int[]> images = PixelCnnTrainerTest.images(12, 8, 4);
		ImageStack stack = new ImageStack(8, 8);
		for (int k = 0; k < 8; k++) stack.addSlice(null, PixelCnnCommand.slice(images.get(k), 1, 8, 8));
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(folder.resolve("a-stack.tif").toString());
		for (int k = 8; k < 12; k++) new FileSaver(new ImagePlus("one", PixelCnnCommand.slice(images.get(k), 1, 8, 8))).saveAsTiff(
			folder.resolve("b" + k + ".tif").toString());
		Files.writeString(folder.resolve("readme.txt"), "not an image: left out");

		CommandModule r = train(folder, 2);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		assertTrue(r.getOutput("plot") instanceof ImagePlus, "the bits/dim plot");
		Path installed = dir.resolve("store").resolve("stripes");
		ModelCard card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
		assertEquals(PixelCnnFamily.NAME, card.family);
		assertEquals(2, ((Number) card.provenance.notes.get("epochs")).intValue());
		assertTrue(Files.size(installed.resolve(TrainPixelCnnCommand.REFERENCE_FILE)) > 0, "pclucas14's layout beside it");

		CommandModule lik = context.service(CommandService.class).run(PixelCnnLikelihoodCommand.class, true, "image",
			new ImagePlus("x", PixelCnnCommand.slice(images.get(0), 1, 8, 8)), "model", "stripes").get();
		assertFalse(lik.isCanceled(), String.valueOf(lik.getCancelReason()));

		CommandModule again = train(folder, 2);
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("epochs=<more than 2>"), again.getCancelReason());
		CommandModule further = train(folder, 3);
		assertFalse(further.isCanceled(), String.valueOf(further.getCancelReason()));
		assertEquals(3, ((Number) ModelCard.read(installed.resolve(ModelCard.FILE_NAME)).provenance.notes.get("epochs")).intValue());

		Files.createDirectories(dir.resolve("store").resolve("other"));
		ModelCard foreign = new ModelCard();
		foreign.name = "other";
		foreign.family = "translate";
		foreign.provenance.tool = "somebody else";
		foreign.write(dir.resolve("store").resolve("other").resolve(ModelCard.FILE_NAME));
		CommandModule clash = context.service(CommandService.class).run(TrainPixelCnnCommand.class, true, "folder", folder.toFile(),
			"nr_resnet", 1, "nr_filters", 4, "epochs", 1, "output", "other").get();
		assertTrue(clash.getCancelReason().contains("left alone"), clash.getCancelReason());
	}

	/**
	 * The auxiliary-variable variants end to end through the commands: trained and installed (no reference-layout
	 * file: pclucas14's model has no such variant), then Likelihood, Sample and Complete run on them by name.
	 */
	@Test
	void grayscaleAndPyramidModelsTrainAndServeTheOtherCommands() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("images"));
		List<int[]> images = PixelCnnTrainerTest.images(8, 8, 5);
		ImageStack stack = new ImageStack(8, 8);
		for (int[] img : images) stack.addSlice(null, PixelCnnCommand.slice(img, 1, 8, 8));
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(folder.resolve("stack.tif").toString());
		CommandService commands = context.service(CommandService.class);
		for (String variant : new String[] { PixelCnnFamily.GRAYSCALE, PixelCnnFamily.PYRAMID }) {
			String name = variant + "-stripes";
			CommandModule r = commands.run(TrainPixelCnnCommand.class, true, "folder", folder.toFile(), "variant", variant, "nr_resnet", 1,
				"nr_filters", 4, "nr_logistic_mix", 2, "conditional_blocks", 1, "pyramid_levels", 2, "batchsize", 4, "epochs", 1, "output", name).get();
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			Path installed = dir.resolve("store").resolve(name);
			ModelCard card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
			assertEquals(variant, card.architecture);
			assertFalse(Files.exists(installed.resolve(TrainPixelCnnCommand.REFERENCE_FILE)));

			ImagePlus item = new ImagePlus("x", PixelCnnCommand.slice(images.get(0), 1, 8, 8));
			CommandModule lik = commands.run(PixelCnnLikelihoodCommand.class, true, "image", item, "model", name).get();
			assertFalse(lik.isCanceled(), String.valueOf(lik.getCancelReason()));
			double bpd = (Double) lik.getOutput("bitsperdim");
			assertTrue(bpd > 0 && bpd < 16, variant + " bits/dim " + bpd);
			CommandModule sample = commands.run(PixelCnnSampleCommand.class, true, "model", name, "width", 7, "height", 5, "count", 2).get();
			assertFalse(sample.isCanceled(), String.valueOf(sample.getCancelReason()));
			ImagePlus drawn = (ImagePlus) sample.getOutput("result");
			assertEquals(2, drawn.getStackSize());
			assertEquals(7, drawn.getWidth());
			ByteProcessor mask = new ByteProcessor(8, 8);
			mask.setRoi(2, 3, 4, 3);
			mask.setValue(255);
			mask.fill();
			CommandModule done = commands.run(PixelCnnCompleteCommand.class, true, "image", item, "mask", new ImagePlus("m", mask), "model", name,
				"samples", 2).get();
			assertFalse(done.isCanceled(), String.valueOf(done.getCancelReason()));
			byte[] in = (byte[]) item.getProcessor().getPixels(), out = (byte[]) ((ImagePlus) done.getOutput("result")).getStack().getPixels(2);
			for (int i = 0; i < 64; i++) if (mask.get(i) == 0) assertEquals(in[i], out[i], variant + ": pixel " + i + " outside the mask is kept");
		}
	}

	@Test
	void imagesOfDifferentSizesAreRefusedNamingTheFile() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("mixed"));
		new FileSaver(new ImagePlus("a", new ByteProcessor(8, 8))).saveAsTiff(folder.resolve("a.tif").toString());
		new FileSaver(new ImagePlus("b", new ByteProcessor(9, 8))).saveAsTiff(folder.resolve("b.tif").toString());
		CommandModule r = train(folder, 1);
		assertTrue(r.isCanceled());
		assertTrue(r.getCancelReason().contains("b.tif is 9x8"), r.getCancelReason());
	}
}
