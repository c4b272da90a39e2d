package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import com.google.gson.Gson;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train StyleGAN2 from a folder of 12×12 grey images (trained at 16×16, centred): the averaged generator is installed
 * for the StyleGAN commands, with a preview grid per tick; {@code rosinality.pt} loads into rosinality's Generator and
 * Discriminator with strict=True and gives GenIJ's image in R, G and B; the same name trains further only with more
 * steps, continuing from its kept state.
 */
class TrainStyleGanCommandTest {

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
		return context.service(CommandService.class).run(TrainStyleGanCommand.class, true, "folder", folder.toFile(), "latent", 4,
			"mapping_layers", 2, "channel_base", 64, "channel_max", 8, "batchsize", 4, "steps", steps, "tick", 2, "output", "tiny").get();
	}

	@Test
	void trainsInstallsExportsAndTrainsFurther() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("images"));
		ImageStack stack = new ImageStack(12, 12);
		for (int k = 0; k < 8; k++) {
			ByteProcessor bp = new ByteProcessor(12, 12);
			for (int i = 0; i < 144; i++) bp.set(i, (i * (k + 3) * 37) % 256);
			stack.addSlice(null, bp);
		}
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(folder.resolve("images.tif").toString());

		CommandModule r = train(folder, 3);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus preview = (ImagePlus) r.getOutput("preview");
		assertEquals(2, preview.getStackSize(), "a grid at steps 2 and 3");
		assertEquals(64, preview.getWidth(), "4 images of 16 px to a row");
		assertTrue(r.getOutput("plot") instanceof ImagePlus, "the loss plot");
		Path installed = dir.resolve("store").resolve("tiny");
		ModelCard card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
		assertEquals(StyleGanFamily.NAME, card.family);
		assertEquals(3, ((Number) card.provenance.notes.get("steps")).intValue());
		assertEquals(16, ((Number) card.parameters.get("resolution")).intValue());

		CommandModule sample = context.service(CommandService.class).run(StyleGanSampleCommand.class, true, "model", "tiny", "seeds", "0-1").get();
		assertFalse(sample.isCanceled(), String.valueOf(sample.getCancelReason()));
		assertEquals(2, ((ImagePlus) sample.getOutput("result")).getStackSize());

		// rosinality's layout, strict=True; a grey model gives its image in R, G and B
		PythonOracle.requireTorch();
		Path check = Files.createDirectories(dir.resolve("check"));
		Files.copy(installed.resolve(TrainStyleGanCommand.REFERENCE_FILE), check.resolve(TrainStyleGanCommand.REFERENCE_FILE));
		float[] z = new float[2 * 4];
		for (int k = 0; k < 2; k++) System.arraycopy(NumpyRandom.randnFloat32(k, 4), 0, z, k * 4, 4);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("size", 16);
		settings.put("latent", 4);
		settings.put("n_mlp", 2);
		settings.put("channels", card.parameters.get("channels"));
		settings.put("z", z);
		Files.writeString(check.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("stylegan_export_check.py", check);
		Map<String, WeightTensor> ref = Safetensors.read(check.resolve("check.safetensors"));
		float[] rgb = ref.get("image").toFloats();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter();
			StyleGan2 g = StyleGanModels.load(new ModelStore(dir.resolve("store")).resolve("tiny", "model"), m))
		{
			for (int k = 0; k < 2; k++) {
				float[] grey = g.generate(NumpyRandom.randn(k, 4), 0, 1, null, "const", k, m).toFloatArray();
				for (int c = 0; c < 3; c++)
					for (int i = 0; i < grey.length; i++)
						assertEquals(grey[i], rgb[(k * 3 + c) * grey.length + i], 1e-4, "image " + k + " channel " + c + " pixel " + i);
			}
			float[] avg = ref.get("latent_avg").toFloats(), mine = g.mapping.wAvg.value().toFloatArray();
			for (int i = 0; i < avg.length; i++) assertEquals(mine[i], avg[i], 0f, "latent_avg " + i);
		}
		for (float v : ref.get("logits").toFloats()) assertTrue(Float.isFinite(v), "the discriminator runs");

		CommandModule again = train(folder, 3);
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("steps=<more than 3>"), again.getCancelReason());
		CommandModule further = train(folder, 4);
		assertFalse(further.isCanceled(), String.valueOf(further.getCancelReason()));
		assertEquals(1, ((ImagePlus) further.getOutput("preview")).getStackSize(), "only step 4 was trained");
		card = ModelCard.read(installed.resolve(ModelCard.FILE_NAME));
		assertEquals(4, ((Number) card.provenance.notes.get("steps")).intValue());
		assertTrue(List.of(installed.toFile().list()).contains(TrainStyleGanCommand.REFERENCE_FILE));
	}
}
