package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;

/** Results are published without ever replacing a file the user did not offer. */
class ImageFilesTest {

	@TempDir
	Path dir;

	@Test
	void aFileThatAppearsMeanwhileIsNeverReplaced() throws Exception {
		Path target = dir.resolve("out.tif"), tmp = dir.resolve(".out.tif.part-1");
		Files.write(tmp, new byte[] { 1, 2, 3 });
		Files.write(target, new byte[] { 9 }); // someone else's file, created after GenIJ checked the name
		GenIJException e = assertThrows(GenIJException.class, () -> ImageFiles.move(tmp, target, false));
		assertTrue(e.getMessage().contains("appeared while GenIJ was working and was left alone"), e.getMessage());
		assertArrayEquals(new byte[] { 9 }, Files.readAllBytes(target));
		ImageFiles.move(tmp, target, true); // asked for: replaced
		assertArrayEquals(new byte[] { 1, 2, 3 }, Files.readAllBytes(target));
	}

	@Test
	void staleTemporaryFilesOfDeadProcessesAreRemoved() throws Exception {
		Path target = dir.resolve("result.tif");
		Path stale = dir.resolve(ImageFiles.partName(target, 999_999_999L)); // no such process
		Path mine = dir.resolve(ImageFiles.partName(target, ProcessHandle.current().pid() + 0)); // alive: kept until it finishes
		Files.write(stale, new byte[] { 1 });
		ImagePlus result = IJ.createImage("r", "32-bit ramp", 8, 8, 1);
		result.getProcessor().multiply(1000); // values 0..~900, display range still 0..1
		ImageFiles.save(result, target, false);
		assertFalse(Files.exists(stale), "a dead process's part file is cleaned up");
		assertFalse(Files.exists(mine), "this process's own part file is gone after saving");
		ImagePlus back = IJ.openImage(target.toString());
		assertEquals(0, back.getDisplayRangeMin(), 1e-6);
		assertTrue(back.getDisplayRangeMax() > 800, "a 32-bit result shows its values, not 0..1: " + back.getDisplayRangeMax());
	}

	/** ImageJ reads a TIFF cut short as zeros; GenIJ refuses it, naming what is missing. */
	@Test
	void aTruncatedTiffIsRefused() throws Exception {
		Path whole = dir.resolve("cells.tif");
		new ij.io.FileSaver(IJ.createImage("cells", "16-bit ramp", 64, 48, 3)).saveAsTiffStack(whole.toString());
		ImageFiles.open(whole); // complete: reads
		byte[] all = Files.readAllBytes(whole);
		Path cut = dir.resolve("cut.tif");
		Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
		GenIJException e = assertThrows(GenIJException.class, () -> ImageFiles.open(cut));
		assertTrue(e.getMessage().startsWith("cut.tif is cut short: it holds " + all.length / 3 + " bytes"), e.getMessage());
		assertTrue(MacroSupport.open(cut.toString()).contains("is cut short"), "batch macros say so too");
	}
}
