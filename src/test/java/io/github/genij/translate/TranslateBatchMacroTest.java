package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.IJ;
import ij.io.FileSaver;
import io.github.genij.ij.macro.MacroHarness;

class TranslateBatchMacroTest {

	@Test
	void aFolderWithAWrongChannelCountAndBadFilesIsProcessedAndSummarised(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		new FileSaver(IJ.createImage("a", "8-bit ramp", 60, 44, 1)).saveAsTiff(in.resolve("a.tif").toString());
		new FileSaver(IJ.createImage("b", "16-bit ramp", 52, 40, 1)).saveAsTiff(in.resolve("b.tif").toString());
		new FileSaver(IJ.createImage("rgb", "RGB noise", 40, 40, 1)).saveAsPng(in.resolve("colour.png").toString());
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 9 });
		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("output", out.toString());
		p.put("model", GeneratorFidelityTest.folder().resolve("resnet6_batch_gray.pth").toString());
		p.put("more", "");
		String printed;
		int reads;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_Translate.ijm"), p);
			reads = context.service(io.github.genij.ij.ModelCacheService.class).reads();
		}
		// three images reached the model; it was read and hashed once (the session's model cache)
		assertEquals(1, reads, "model reads in the batch");
		// the gray model refuses the RGB image with its reason, and the batch goes on
		assertTrue(printed.contains("GenIJ batch finished: 2 done, 0 skipped, 2 failed."), printed);
		assertTrue(printed.contains("The model takes 1 channel(s) but 'colour.png' has 3"), printed);
		assertEquals(8, IJ.openImage(out.resolve("a-translated.tif").toString()).getBitDepth());
		assertEquals(16, IJ.openImage(out.resolve("b-translated.tif").toString()).getBitDepth());
	}

	/** The output folder given as the input folder in another spelling ("in/.") is still refused. */
	@Test
	void theInputFolderIsRecognisedHoweverItIsSpelled(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		new FileSaver(IJ.createImage("a", "8-bit ramp", 40, 40, 1)).saveAsTiff(in.resolve("a.tif").toString());
		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("output", in + "/.");
		p.put("model", GeneratorFidelityTest.folder().resolve("resnet6_batch_gray.pth").toString());
		p.put("more", "");
		String said;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			said = h.run(Paths.get("macros", "GenIJ_Batch_Translate.ijm"), p);
		}
		catch (MacroHarness.MacroError e) {
			said = e.getMessage();
		}
		assertTrue(said.contains("must not be the input folder"), said);
		try (java.util.stream.Stream<Path> files = Files.list(in)) {
			assertEquals(1, files.count(), "nothing written into the input folder");
		}
	}
}
