package io.github.genij.pixelcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ai.djl.ndarray.NDManager;
import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.macro.MacroHarness;
import io.github.genij.testing.PythonOracle;

/**
 * macros/GenIJ_Batch_PixelCNN_Likelihood.ijm: a folder becomes one map per image and one table whose figures are
 * the images' bits/dim; a second run reads the figures back from the maps and leaves the first table alone.
 */
class PixelCnnBatchMacroTest {

	@Test
	void aFolderBecomesMapsAndOneTable(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		Path model = PythonOracle.generate("pixelcnn_oracle.py").resolve("grey.pth");
		double[] expected = new double[2];
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			PixelCnnPP net = PixelCnnModels.loadPixelCnnPP(ModelStore.defaultStore().resolve(model.toString(), "model"), m))
		{
			for (int k = 0; k < 2; k++) {
				ByteProcessor ip = new ByteProcessor(10 + k, 9);
				for (int i = 0; i < ip.getPixelCount(); i++) ip.set(i, (i * (31 + k)) % 256);
				new FileSaver(new ImagePlus("img" + k, ip)).saveAsTiff(in.resolve("img" + k + ".tif").toString());
				expected[k] = Likelihood.of(net, PixelCnnCommand.levels(ip, 1), 9, 10 + k, m).bitsPerDim;
			}
		}
		Files.writeString(in.resolve("notes.txt"), "not an image");
		Map<String, String> p = new HashMap<>();
		p.put("input", in.toString());
		p.put("model", model.toString());
		p.put("output", out.toString());
		String printed;
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			printed = h.run(Paths.get("macros", "GenIJ_Batch_PixelCNN_Likelihood.ijm"), p);
			assertTrue(printed.contains("2 done, 0 read from existing maps, 1 failed"), printed);
			List<String> rows = Files.readAllLines(out.resolve("pixelcnn-likelihood.csv"));
			assertEquals("image,slices,bitsperdim", rows.get(0));
			for (int k = 0; k < 2; k++) {
				String[] cells = rows.get(1 + k).split(",");
				assertEquals("img" + k + ".tif", cells[0]);
				assertEquals(expected[k], Double.parseDouble(cells[2]), 1e-5, "the table's figure is the image's bits/dim");
				ImagePlus map = IJ.openImage(out.resolve("img" + k + "-nll.tif").toString());
				assertEquals(10 + k, map.getWidth());
				assertEquals(ImagePlus.GRAY32, map.getType());
			}
			String again = h.run(Paths.get("macros", "GenIJ_Batch_PixelCNN_Likelihood.ijm"), p);
			assertTrue(again.contains("0 done, 2 read from existing maps"), again);
			List<String> second = Files.readAllLines(out.resolve("pixelcnn-likelihood-1.csv"));
			for (int k = 0; k < 2; k++)
				assertEquals(expected[k], Double.parseDouble(second.get(1 + k).split(",")[2]), 1e-4, "the figure read back from the map");
			assertEquals(rows, Files.readAllLines(out.resolve("pixelcnn-likelihood.csv")), "the first table is left as it was");
		}
		for (String line : printed.split("\n")) assertTrue(!line.trim().equals("1"), "no stray return values: " + printed);
	}

	/** The Script Editor's template (Templates > GenIJ) runs as it is on the active image and prints its figure. */
	@Test
	void theScriptTemplateRuns(@TempDir Path dir) throws Exception {
		Path model = PythonOracle.generate("pixelcnn_oracle.py").resolve("grey.pth");
		ByteProcessor ip = new ByteProcessor(9, 7);
		for (int i = 0; i < ip.getPixelCount(); i++) ip.set(i, (i * 29) % 256);
		Path image = dir.resolve("item.tif");
		new FileSaver(new ImagePlus("item", ip)).saveAsTiff(image.toString());
		double expected;
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			PixelCnnPP net = PixelCnnModels.loadPixelCnnPP(ModelStore.defaultStore().resolve(model.toString(), "model"), m))
		{
			expected = Likelihood.of(net, PixelCnnCommand.levels(ip, 1), 7, 9, m).bitsPerDim;
		}
		String template;
		try (java.io.InputStream in = getClass().getResourceAsStream("/script_templates/GenIJ/PixelCNN_Likelihood_Map.ijm")) {
			template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		Map<String, String> p = new HashMap<>();
		p.put("model", model.toString());
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			String printed = h.runText("setBatchMode(true);\nopen(\"" + image + "\");\n" + template, p);
			assertTrue(printed.contains("item.tif, slice 1: " + String.format(java.util.Locale.ROOT, "%.4f", expected) + " bits/dim"), printed);
			assertTrue(h.failures().isEmpty(), h.failures().toString());
		}
	}
}
