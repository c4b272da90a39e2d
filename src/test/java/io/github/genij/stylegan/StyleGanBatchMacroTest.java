package io.github.genij.stylegan;

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

import ai.djl.ndarray.NDManager;
import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.ij.macro.MacroHarness;
import io.github.genij.testing.PythonOracle;

/** macros/GenIJ_Batch_StyleGAN_Seeds.ijm: a seed range becomes a folder of PNGs named as generate.py names them. */
class StyleGanBatchMacroTest {

	@Test
	void aSeedRangeBecomesAFolderOfPngs(@TempDir Path dir) throws Exception {
		Path f = StyleGanFidelityTest.folder();
		Map<String, String> p = new HashMap<>();
		p.put("model", f.resolve("skip32.pkl").toString());
		p.put("seeds", "0-2");
		p.put("output", dir.toString());
		p.put("more", "truncation=0.7");
		Files.writeString(dir.resolve("seed0002.png"), "already there: left alone");
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_StyleGAN_Seeds.ijm"), p);
		}
		assertTrue(printed.contains("2 written, 1 skipped (already there), 0 failed."), printed);
		assertEquals("already there: left alone", Files.readString(dir.resolve("seed0002.png")));
		ImagePlus seed0 = IJ.openImage(dir.resolve("seed0000.png").toString());
		assertEquals(32, seed0.getWidth());
		int[] px = (int[]) seed0.getProcessor().getPixels();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			byte[] u8 = PythonOracle.tensors(m, f, "skip32").get("u8_0_psi07_const").toByteArray();
			int off = 0;
			for (int i = 0; i < px.length; i++)
				for (int c = 0; c < 3; c++) off = Math.max(off, Math.abs((u8[i * 3 + c] & 0xff) - ((px[i] >> (16 - 8 * c)) & 0xff)));
			assertTrue(off <= 1, "the PNG holds generate.py's bytes (within one grey level): " + off);
		}
		for (String line : printed.split("\n")) assertTrue(!line.trim().equals("1"), "no stray return values: " + printed);
	}

	@Test
	void badSeedsStopTheMacroWithTheReason(@TempDir Path dir) throws Exception {
		Map<String, String> p = new HashMap<>();
		p.put("model", StyleGanFidelityTest.folder().resolve("skip32.pkl").toString());
		p.put("seeds", "9-3");
		p.put("output", dir.toString());
		p.put("more", "");
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			h.run(Paths.get("macros", "GenIJ_Batch_StyleGAN_Seeds.ijm"), p);
			org.junit.jupiter.api.Assertions.fail("the macro should stop");
		}
		catch (MacroHarness.MacroError e) {
			assertTrue(e.getMessage().contains("runs backwards"), e.getMessage());
		}
	}

	/** The Script Editor's template (Templates > GenIJ) runs as it is. */
	@Test
	void theScriptTemplateRuns() throws Exception {
		Map<String, String> p = new HashMap<>();
		p.put("model", StyleGanFidelityTest.folder().resolve("skip32.pkl").toString());
		p.put("seeds", "1-2");
		p.put("truncation", "0.7");
		String template;
		try (java.io.InputStream in = getClass().getResourceAsStream("/script_templates/GenIJ/StyleGAN_Sample_Seeds.ijm")) {
			template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			String printed = h.runText("setBatchMode(true);\n" + template + "\nprint(nSlices);\n", p);
			assertTrue(printed.trim().endsWith("2"), printed);
			assertTrue(h.failures().isEmpty(), h.failures().toString());
		}
	}
}
