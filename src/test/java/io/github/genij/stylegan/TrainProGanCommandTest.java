package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import com.google.gson.Gson;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train ProGAN from a folder of 12×12 grey images (grown 4 → 8 → 16, centred): the averaged generator is installed for
 * StyleGAN Sample, which samples it at each grown scale with {@code resolution}; a preview row per tick; the zoo's
 * checkpoint ({@code pgan_zoo.pth}, config as a plain dict) loads into the zoo's GNet and DNet with strict=True and its
 * avgG gives StyleGAN Sample's image at every scale; more steps train the last scale further from the kept state.
 */
class TrainProGanCommandTest {

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

	private CommandModule train(Path folder, int steps) throws Exception {
		return context.service(CommandService.class).run(TrainProGanCommand.class, true, "folder", folder.toFile(), "latent", 4, "depths", "6,5,4",
			"batchsize", 4, "steps", steps, "fade", 32, "tick", 24, "output", "tiny").get();
	}

	private ImagePlus sample(int resolution) throws Exception {
		CommandModule s = context.service(CommandService.class).run(StyleGanSampleCommand.class, true, "model", "tiny", "seeds", "0-1", "resolution",
			resolution, "outputtype", "float32").get();
		assertFalse(s.isCanceled(), String.valueOf(s.getCancelReason()));
		return (ImagePlus) s.getOutput("result");
	}

	@Test
	void growsInstallsExportsAndTrainsFurther() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("images"));
		ImageStack stack = new ImageStack(12, 12);
		for (int k = 0; k < 8; k++) {
			ByteProcessor bp = new ByteProcessor(12, 12);
			for (int i = 0; i < 144; i++) bp.set(i, (i * (k + 3) * 37) % 256);
			stack.addSlice(null, bp);
		}
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(folder.resolve("images.tif").toString());

		CommandModule r = train(folder, 48);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus preview = (ImagePlus) r.getOutput("preview");
		assertEquals(6, preview.getStackSize(), "two rows per scale");
		assertEquals(8 * 16, preview.getWidth(), "8 seeds of 16 px to a row");
		assertTrue(preview.getStack().getSliceLabel(3).startsWith("8x8 step 24 (fading in, 0.00)"), preview.getStack().getSliceLabel(3));
		assertEquals("8x8 step 48", preview.getStack().getSliceLabel(4), "grown by step 33");
		assertTrue(r.getOutput("plot") instanceof ImagePlus, "the loss plot");
		Path installed = dir.resolve("store").resolve("tiny");
		ModelCard card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
		assertEquals(StyleGanFamily.NAME, card.family);
		assertEquals(StyleGanFamily.ARCHITECTURE_PROGAN, card.architecture);
		assertEquals(16, ((Number) card.parameters.get("max_resolution")).intValue());

		// the zoo's layout, strict=True, gives StyleGAN Sample's image at every scale
		PythonOracle.requireTorch();
		Path check = Files.createDirectories(dir.resolve("check"));
		Files.copy(installed.resolve(PganZooExport.FILE), check.resolve(PganZooExport.FILE));
		float[] z = new float[2 * 4];
		for (int k = 0; k < 2; k++) System.arraycopy(NumpyRandom.randnFloat32(k, 4), 0, z, k * 4, 4);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("z", z);
		Files.writeString(check.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("pgan_export_check.py", check);
		Map<String, WeightTensor> ref = Safetensors.read(check.resolve("check.safetensors"));
		assertEquals(0f, ref.get("alpha").toFloats()[0], "fully grown");
		for (int scales = 0; scales <= 2; scales++) {
			int side = 4 << scales;
			ImagePlus ours = sample(side);
			assertEquals(side, ours.getWidth());
			float[] want = ref.get("image." + scales).toFloats();
			for (int k = 0; k < 2; k++)
				for (int i = 0; i < side * side; i++)
					assertEquals(want[k * side * side + i], ours.getStack().getProcessor(k + 1).getf(i), 1e-4, side + " px, image " + k + ", pixel " + i);
		}
		for (float v : ref.get("logits").toFloats()) assertTrue(Float.isFinite(v), "the discriminator runs");

		// GenIJ reads its own export back (the config as a dict): the same images
		CommandModule imported = context.service(CommandService.class).run(io.github.genij.ij.ImportCheckpointCommand.class, true, "file",
			check.resolve(PganZooExport.FILE).toFile(), "name", "reimported").get();
		assertFalse(imported.isCanceled(), String.valueOf(imported.getCancelReason()));
		CommandModule again16 = context.service(CommandService.class).run(StyleGanSampleCommand.class, true, "model", "reimported", "seeds", "0-1",
			"outputtype", "float32").get();
		float[] want16 = ref.get("image.2").toFloats();
		ImagePlus back = (ImagePlus) again16.getOutput("result");
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < 256; i++) assertEquals(want16[k * 256 + i], back.getStack().getProcessor(k + 1).getf(i), 1e-4, "re-imported, pixel " + i);

		CommandModule again = train(folder, 48);
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("steps=<more than 48>"), again.getCancelReason());
		CommandModule further = train(folder, 72);
		assertFalse(further.isCanceled(), String.valueOf(further.getCancelReason()));
		assertEquals(1, ((ImagePlus) further.getOutput("preview")).getStackSize(), "16x16's steps 49-72 only");
		assertEquals("16x16 step 72", ((ImagePlus) further.getOutput("preview")).getStack().getSliceLabel(1));
		card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
		assertEquals(72, ((Number) card.provenance.notes.get("steps")).intValue());
	}

	@Test
	void badSettingsAreRefusedInOneLine() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("images"));
		new FileSaver(new ImagePlus("one", new ByteProcessor(16, 16))).saveAsTiff(folder.resolve("a.tif").toString());
		CommandModule r = context.service(CommandService.class).run(TrainProGanCommand.class, true, "folder", folder.toFile(), "depths", "8,x",
			"output", "bad").get();
		assertTrue(r.isCanceled());
		assertTrue(r.getCancelReason().contains("depths=8,x"), r.getCancelReason());
		r = context.service(CommandService.class).run(TrainProGanCommand.class, true, "folder", folder.toFile(), "depths", "8", "steps", 100, "fade", 50,
			"output", "bad").get();
		assertTrue(r.isCanceled());
		assertTrue(r.getCancelReason().contains("fade=50"), r.getCancelReason());
	}
}
