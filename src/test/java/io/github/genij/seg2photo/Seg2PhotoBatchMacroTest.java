package io.github.genij.seg2photo;

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
import ij.process.ByteProcessor;
import io.github.genij.ij.macro.MacroHarness;

/**
 * macros/GenIJ_Batch_Segmentation_To_Photo.ijm: a folder of label images through a SPADE generator file; a label image
 * with a class the model lacks is refused and logged, a result already there is skipped, a broken file is logged, and
 * the batch goes on.
 */
class Seg2PhotoBatchMacroTest {

	private static void labels(Path file, int w, int h, int classes) {
		byte[] v = new byte[w * h];
		for (int i = 0; i < v.length; i++) v[i] = (byte) (((i % w) / 16 + (i / w) / 16) % classes);
		new FileSaver(new ImagePlus("labels", new ByteProcessor(w, h, v))).saveAsPng(file.toString());
	}

	@Test
	void aFolderOfLabelImagesThroughSpade(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		labels(in.resolve("field.png"), 128, 64, 4);
		labels(in.resolve("small.png"), 70, 40, 4);
		labels(in.resolve("unknown-class.png"), 64, 64, 9); // the model knows 4 classes (and dontcare)
		labels(in.resolve("done.png"), 64, 64, 4);
		Files.writeString(out.resolve("done-photo.tif"), "already there: left alone");
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 9 });
		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("output", out.toString());
		p.put("model", SpadeFidelityTest.folder().resolve("more_dontcare_wide_net_G.pth").toString());
		p.put("network", "SPADE");
		p.put("more", "upsampling=more");
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_Segmentation_To_Photo.ijm"), p);
		}
		assertTrue(printed.contains("GenIJ batch finished: 2 done, 1 skipped, 2 failed."), printed);
		ImagePlus small = IJ.openImage(out.resolve("small-photo.tif").toString());
		assertEquals(70, small.getWidth(), "cut back to the label image's size");
		assertEquals(40, small.getHeight());
		assertTrue(Files.exists(out.resolve("field-photo.tif")));
		assertEquals("already there: left alone", Files.readString(out.resolve("done-photo.tif")));
	}
}
