package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import io.github.genij.core.weights.NumpyFiles;

/**
 * StyleGAN Project end to end: an image the generator drew (seed 7) projected for a few steps; the w saved as
 * NVIDIA's projected_w.npz gives, through StyleGAN Sample's latents, exactly the projection's image; an
 * existing w file is never overwritten.
 */
class StyleGanProjectCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@Test
	void theSavedWGivesTheProjectionsImage(@TempDir Path dir) throws Exception {
		String model = StyleGanFidelityTest.folder().resolve("skip32.pkl").toString();
		CommandService cs = context.service(CommandService.class);
		ImagePlus seven = (ImagePlus) cs.run(StyleGanSampleCommand.class, true, "model", model, "seeds", "7").get().getOutput("result");
		Path w = dir.resolve("projected_w.npz");
		CommandModule p = cs.run(StyleGanProjectCommand.class, true, "image", seven, "model", model, "steps", 20, "wfile", w.toString())
			.get();
		assertFalse(p.isCanceled(), String.valueOf(p.getCancelReason()));
		ImagePlus projected = (ImagePlus) p.getOutput("result");
		assertEquals(32, projected.getWidth());
		NumpyFiles.Array saved = NumpyFiles.read(w).get("w");
		assertArrayEquals(new long[] { 1, 8, 32 }, saved.shape);
		ImagePlus again = (ImagePlus) cs.run(StyleGanSampleCommand.class, true, "model", model, "latents", w.toString()).get()
			.getOutput("result");
		assertArrayEquals((int[]) projected.getProcessor().getPixels(), (int[]) again.getProcessor().getPixels(),
			"the saved w draws the projection's image");
		byte[] before = Files.readAllBytes(w);
		CommandModule refused = cs.run(StyleGanProjectCommand.class, true, "image", seven, "model", model, "steps", 1, "wfile",
			w.toString()).get();
		assertTrue(refused.isCanceled());
		assertTrue(refused.getCancelReason().contains("already exists"), refused.getCancelReason());
		assertArrayEquals(before, Files.readAllBytes(w));
	}
}
