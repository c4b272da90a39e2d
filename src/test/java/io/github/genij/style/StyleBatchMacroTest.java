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
	void gatysOverAFolderWithBadFiles(@TempDir Path dir) throws Exception {
		Map<String, String> p = new HashMap<>();
		p.put("iterations", "5");
		p.put("more", "");
		runOverBadFolder(dir, "GenIJ_Batch_Style_Transfer_Gatys.ijm", "gatys", p, true);
	}

	@Test
	void adainOverAFolderWithBadFiles(@TempDir Path dir) throws Exception {
		Path f = StyleOracle.folder();
		Map<String, String> p = new HashMap<>();
		p.put("encoder", f.resolve("vgg_normalised.pth").toString());
		p.put("decoder", f.resolve("decoder.pth").toString());
		p.put("more", "alpha=0.8");
		runOverBadFolder(dir, "GenIJ_Batch_Style_Transfer_AdaIN.ijm", "adain", p, true);
	}

	@Test
	void fastStyleOverAFolderWithBadFiles(@TempDir Path dir) throws Exception {
		Map<String, String> p = new HashMap<>();
		p.put("model", StyleOracle.folder().resolve("fast_style.pth").toString());
		p.put("more", "");
		runOverBadFolder(dir, "GenIJ_Batch_Style_Transfer_Fast.ijm", "styled", p, false);
	}

	/** Two good images, one already done, a corrupt TIFF and a text file: 2 done, 1 skipped, 2 failed. */
	private static void runOverBadFolder(Path dir, String macro, String suffix, Map<String, String> p, boolean needsStyle)
		throws Exception
	{
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		new FileSaver(StyleTransferGatysCommandTest.content()).saveAsPng(in.resolve("a.png").toString());
		new FileSaver(IJ.createImage("b", "8-bit ramp", 40, 32, 1)).saveAsTiff(in.resolve("b.tif").toString());
		new FileSaver(StyleTransferGatysCommandTest.content()).saveAsPng(in.resolve("c.png").toString());
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		Files.writeString(in.resolve("notes.txt"), "not an image");
		Files.writeString(out.resolve("c-" + suffix + ".tif"), "done before");
		byte[] aBefore = Files.readAllBytes(in.resolve("a.png"));
		p.put("input", in.toString());
		p.put("output", out.toString());
		if (needsStyle) {
			Path style = dir.resolve("style.png");
			new FileSaver(StyleTransferGatysCommandTest.style()).saveAsPng(style.toString());
			p.put("style", style.toString());
		}
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", macro), p);
		}
		assertTrue(printed.contains("GenIJ batch finished: 2 done, 1 skipped, 2 failed."), printed);
		assertTrue(printed.contains("failed: broken.tif"), printed);
		assertTrue(printed.contains("failed: notes.txt"), printed);
		assertEquals(ImagePlus.COLOR_RGB, IJ.openImage(out.resolve("a-" + suffix + ".tif").toString()).getType());
		assertEquals(8, IJ.openImage(out.resolve("b-" + suffix + ".tif").toString()).getBitDepth());
		assertEquals("done before", Files.readString(out.resolve("c-" + suffix + ".tif")), "existing results are kept");
		assertArrayEquals(aBefore, Files.readAllBytes(in.resolve("a.png")), "inputs are untouched");
		try (java.util.stream.Stream<Path> s = Files.list(out)) {
			assertEquals(3, s.count(), "no partial files left: " + printed);
		}
	}
}
