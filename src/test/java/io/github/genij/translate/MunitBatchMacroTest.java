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
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.genij.ij.macro.MacroHarness;

/**
 * macros/GenIJ_Batch_Translate_MUNIT.ijm: a folder of images through a MUNIT checkpoint, three drawn styles each; a
 * result already there is skipped, a broken file is logged and the batch goes on.
 */
class MunitBatchMacroTest {

	@Test
	void aFolderThroughMunit(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		new FileSaver(IJ.createImage("rgb", "RGB noise", 40, 36, 1)).saveAsPng(in.resolve("colour.png").toString());
		new FileSaver(IJ.createImage("a", "8-bit ramp", 44, 40, 1)).saveAsTiff(in.resolve("grey.tif").toString());
		new FileSaver(IJ.createImage("done", "8-bit ramp", 8, 8, 1)).saveAsTiff(in.resolve("done.tif").toString());
		Files.writeString(out.resolve("done-munit.tif"), "already there: left alone");
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 9 });
		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("output", out.toString());
		p.put("model", MunitFidelityTest.folder().resolve("munit_gen.pt").toString());
		p.put("direction", "btoa");
		p.put("more", "variations=3 seed=5");
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_Translate_MUNIT.ijm"), p);
		}
		assertTrue(printed.contains("GenIJ batch finished: 2 done, 1 skipped, 1 failed."), printed);
		assertTrue(printed.contains("style from 3 code(s) drawn from seed 5"), "the style is not taken from the active window: " + printed);
		ImagePlus colour = IJ.openImage(out.resolve("colour-munit.tif").toString());
		assertEquals(3, colour.getStackSize(), "three styles");
		assertEquals(40, colour.getWidth());
		assertEquals(36, colour.getHeight());
		assertEquals("already there: left alone", Files.readString(out.resolve("done-munit.tif")));
	}
}
