package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.genij.ij.macro.MacroHarness;

/** The Gatys batch macro, headless through the macro harness, over a folder with bad files in it. */
class StyleBatchMacroTest {

	@Test
	void aFolderWithBadFilesIsProcessedAndSummarised(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		new FileSaver(StyleTransferGatysCommandTest.content()).saveAsPng(in.resolve("a.png").toString());
		new FileSaver(IJ.createImage("b", "8-bit ramp", 40, 30, 1)).saveAsTiff(in.resolve("b.tif").toString());
		new FileSaver(StyleTransferGatysCommandTest.content()).saveAsPng(in.resolve("c.png").toString());
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		Files.writeString(in.resolve("notes.txt"), "not an image");
		Files.writeString(out.resolve("c-gatys.tif"), "done before");
		Path style = dir.resolve("style.png");
		new FileSaver(StyleTransferGatysCommandTest.style()).saveAsPng(style.toString());
		byte[] aBefore = Files.readAllBytes(in.resolve("a.png"));

		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("style", style.toString());
		p.put("output", out.toString());
		p.put("iterations", "5");
		p.put("more", "");
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_Style_Transfer_Gatys.ijm"), p);
		}
		assertTrue(printed.contains("GenIJ batch finished: 2 done, 1 skipped, 2 failed."), printed);
		assertTrue(printed.contains("failed: broken.tif"), printed);
		assertTrue(printed.contains("failed: notes.txt"), printed);
		ImagePlus a = IJ.openImage(out.resolve("a-gatys.tif").toString());
		assertEquals(ImagePlus.COLOR_RGB, a.getType());
		assertEquals(8, IJ.openImage(out.resolve("b-gatys.tif").toString()).getBitDepth());
		assertEquals("done before", Files.readString(out.resolve("c-gatys.tif")), "existing results are kept");
		assertArrayEquals(aBefore, Files.readAllBytes(in.resolve("a.png")), "inputs are untouched");
		try (java.util.stream.Stream<Path> s = Files.list(out)) {
			assertEquals(3, s.count(), "no partial files left: " + printed);
		}
	}
}
