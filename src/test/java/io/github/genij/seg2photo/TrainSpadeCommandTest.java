package io.github.genij.seg2photo;

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

import com.google.gson.Gson;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * Train SPADE from folders of label images and photos: the model is installed with its class names and Segmentation to
 * Photo (SPADE) applies it by name, with labelmap naming classes; the reference's latest_net_G.pth written beside it
 * loads into NVlabs/SPADE's generator with strict=True and gives the same image (in its test mode, running statistics); more epochs under the same name are
 * asked for, as the other trainers ask.
 */
class TrainSpadeCommandTest {

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
	void trainsInstallsAndTheReferenceAppliesTheSameGenerator() throws Exception {
		PythonOracle.requireTorch();
		Path labels = Files.createDirectories(dir.resolve("labels")), images = Files.createDirectories(dir.resolve("images"));
		List<SpadeTrainer.Example> examples = SpadeTrainerTest.examples(10);
		for (SpadeTrainer.Example e : examples) {
			byte[] l = new byte[e.labels.length];
			int[] rgb = new int[e.labels.length];
			for (int i = 0; i < l.length; i++) {
				l[i] = (byte) e.labels[i];
				int[] c = new int[3];
				for (int k = 0; k < 3; k++) c[k] = Math.round((e.rgb[k * l.length + i] + 1) * 127.5f);
				rgb[i] = (c[0] << 16) | (c[1] << 8) | c[2];
			}
			new FileSaver(new ImagePlus(e.name, new ByteProcessor(e.width, e.height, l))).saveAsPng(labels.resolve(e.name + ".png").toString());
			new FileSaver(new ImagePlus(e.name, new ColorProcessor(e.width, e.height, rgb))).saveAsPng(images.resolve(e.name + ".png").toString());
		}
		Object[] keys = { "labels", labels.toFile(), "images", images.toFile(), "classnames", "ground, stripe, disc", "ngf", 1, "ndf", 2,
			"epochs", 1, "decayepochs", 1, "batchsize", 3, "cropsize", 32, "output", "discs" };
		var r = Commands.run(TrainSpadeCommand.class, keys);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus preview = (ImagePlus) r.getOutput("preview");
		assertEquals(2, preview.getStackSize(), "a preview per epoch");
		assertEquals(3 * 32, preview.getWidth(), "labels, SPADE, photo");
		Path folder = dir.resolve("store").resolve("discs");
		assertTrue(Files.size(folder.resolve("latest_net_D.pth")) > 0);
		ModelCard card = ModelCard.read(folder.resolve(ModelCard.FILE_NAME));
		assertEquals(List.of("ground", "stripe", "disc"), card.parameters.get(ClassNames.KEY));
		assertTrue(List.of("image", "running").contains(card.parameters.get(LabelImageCommand.BN_STATISTICS)), "the card says which statistics drew better");

		// a 64x32 label image of values 7 (ground), 8 (stripe), 9 (disc), mapped by name
		int w = 64, h = 32;
		byte[] values = new byte[w * h];
		float[] classes = new float[w * h];
		for (int i = 0; i < values.length; i++) {
			int x = i % w, y = i / w, c = Math.hypot(x - 20, y - 16) < 9 ? 2 : (y / 6) % 2;
			values[i] = (byte) (7 + c);
			classes[i] = c;
		}
		var applied = Commands.run(SegmentationToPhotoSpadeCommand.class, "labels", new ImagePlus("l", new ByteProcessor(w, h, values)), "model", "discs",
			"labelmap", "7=ground,8=stripe,9=disc", "bnstats", "running", "outputtype", "float32");
		assertFalse(applied.isCanceled(), String.valueOf(applied.getCancelReason()));
		ImagePlus out = (ImagePlus) applied.getOutput("result");

		Files.copy(folder.resolve("latest_net_G.pth"), dir.resolve("latest_net_G.pth"));
		Safetensors.write(dir.resolve("labels.safetensors"), Map.of("labels", WeightTensor.ofFloats(classes, new long[] { 1, 1, h, w })), Map.of());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("classes", 3);
		settings.put("ngf", 1);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("spade_apply_check.py", dir);
		float[] want = Safetensors.read(dir.resolve("out.safetensors")).get("out").toFloats();
		double worst = 0, range = 0;
		for (int ch = 0; ch < 3; ch++) {
			float[] got = (float[]) out.getStack().getPixels(ch + 1);
			for (int i = 0; i < w * h; i++) {
				worst = Math.max(worst, Math.abs(got[i] - want[ch * w * h + i]));
				range = Math.max(range, Math.abs(want[ch * w * h + i]));
			}
		}
		assertTrue(range > 1e-3, "the trained generator draws something (largest value " + range + ")");
		assertTrue(worst < 1e-4, "largest difference from the reference " + worst);

		var again = Commands.run(TrainSpadeCommand.class, keys);
		assertTrue(again.isCanceled() && again.getCancelReason().contains("epochs=<more than 2>"), String.valueOf(again.getCancelReason()));
	}
}
