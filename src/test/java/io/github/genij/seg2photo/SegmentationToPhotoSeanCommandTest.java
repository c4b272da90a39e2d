package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.weights.NumpyFiles;
import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * Segmentation to Photo (SEAN) end to end: a style image over its own labels gives the reference's image (its test
 * path); the codes it saves in SEAN's layout (<label>/ACE.npy, never over existing files) give the same image again
 * on their own; noise=on is reproducible from its seed; a style image without its labels is refused.
 */
class SegmentationToPhotoSeanCommandTest {

	private static CommandModule run(Object... keys) throws Exception {
		return Commands.run(SegmentationToPhotoSeanCommand.class, keys);
	}

	static ImagePlus bytes(NDArray a, String title) {
		long h = a.getShape().get(2), w = a.getShape().get(3);
		float[] v = a.toFloatArray();
		byte[] b = new byte[v.length];
		for (int i = 0; i < v.length; i++) b[i] = (byte) Math.round(v[i]);
		return new ImagePlus(title, new ByteProcessor((int) w, (int) h, b));
	}

	static ImagePlus rgb(NDArray levels, String title) {
		int h = (int) levels.getShape().get(2), w = (int) levels.getShape().get(3), n = w * h;
		float[] v = levels.toFloatArray();
		int[] p = new int[n];
		for (int i = 0; i < n; i++) p[i] = ((int) v[i] << 16) | ((int) v[n + i] << 8) | (int) v[2 * n + i];
		return new ImagePlus(title, new ColorProcessor(w, h, p));
	}

	private static float worst(ImagePlus out, float[] expected) {
		int n = out.getWidth() * out.getHeight();
		float worst = 0;
		for (int c = 0; c < 3; c++) {
			float[] got = (float[]) out.getStack().getPixels(c + 1);
			for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - expected[c * n + i]));
		}
		return worst;
	}

	@Test
	void aStyleImageItsCodesAndNoise(@TempDir Path dir) throws Exception {
		Path f = SeanFidelityTest.folder();
		String model = f.resolve("sean_net_G.pth").toString();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "sean");
			ImagePlus labels = bytes(t.get("labels"), "labels"), style = rgb(t.get("style"), "style");
			Path codes = dir.resolve("codes");
			CommandModule r = run("labels", labels, "model", model, "style", style, "stylelabels", labels, "savecodes", codes.toFile(),
				"outputtype", "float32");
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus own = (ImagePlus) r.getOutput("result");
			assertTrue(worst(own, t.get("out_own").toFloatArray()) < 1e-4, "the reference's test path");
			float[] expected = t.get("codes_own").toFloatArray();
			for (int j = 0; j < 4; j++) {
				double[] saved = NumpyFiles.read(codes.resolve(j + "/ACE.npy")).values().iterator().next().values;
				for (int c = 0; c < 8; c++) assertEquals(expected[j * 8 + c], saved[c], 1e-5, "saved code of label " + j);
			}
			assertFalse(Files.exists(codes.resolve("4")), "label 4 is not in the style image: no code saved");

			CommandModule fromCodes = run("labels", labels, "model", model, "stylecodes", codes.toFile(), "outputtype", "float32");
			assertFalse(fromCodes.isCanceled(), String.valueOf(fromCodes.getCancelReason()));
			for (int c = 1; c <= 3; c++)
				assertArrayEquals((float[]) own.getStack().getPixels(c), (float[]) ((ImagePlus) fromCodes.getOutput("result")).getStack().getPixels(c),
					1e-6f, "the saved codes give the same image");

			// one region in another style: label 1 from another codes folder, as a folder mixed by hand gives it
			Path other = dir.resolve("other"), mixed = dir.resolve("mixed");
			float[] given = t.get("codes").toFloatArray();
			double[] one = new double[8];
			for (int c = 0; c < 8; c++) one[c] = given[8 + c];
			NumpyFiles.writeNpy(Files.createDirectories(other.resolve("1")).resolve("ACE.npy"), new NumpyFiles.Array(new long[] { 8 }, one));
			for (int j = 0; j < 4; j++) {
				Path to = Files.createDirectories(mixed.resolve(String.valueOf(j))).resolve("ACE.npy");
				Files.copy((j == 1 ? other : codes).resolve(j + "/ACE.npy"), to);
			}
			CommandModule byHand = run("labels", labels, "model", model, "stylecodes", mixed.toFile(), "outputtype", "float32");
			CommandModule byKey = run("labels", labels, "model", model, "stylecodes", codes.toFile(), "regionstyles", "1=" + other, "outputtype", "float32");
			assertFalse(byKey.isCanceled(), String.valueOf(byKey.getCancelReason()));
			for (int c = 1; c <= 3; c++)
				assertArrayEquals((float[]) ((ImagePlus) byHand.getOutput("result")).getStack().getPixels(c),
					(float[]) ((ImagePlus) byKey.getOutput("result")).getStack().getPixels(c), 0f, "regionstyles equals the mixed folder");
			CommandModule badRegion = run("labels", labels, "model", model, "stylecodes", codes.toFile(), "regionstyles", "9=" + other);
			assertTrue(badRegion.isCanceled() && badRegion.getCancelReason().contains("label=folder"), String.valueOf(badRegion.getCancelReason()));

			CommandModule again = run("labels", labels, "model", model, "style", style, "stylelabels", labels, "savecodes", codes.toFile());
			assertTrue(again.isCanceled() && again.getCancelReason().contains("does not overwrite"), String.valueOf(again.getCancelReason()));

			float[][] noisy = new float[2][];
			for (int k = 0; k < 2; k++) {
				CommandModule n = run("labels", labels, "model", model, "stylecodes", codes.toFile(), "noise", "on", "seed", 3L, "outputtype", "float32");
				assertFalse(n.isCanceled(), String.valueOf(n.getCancelReason()));
				noisy[k] = (float[]) ((ImagePlus) n.getOutput("result")).getStack().getPixels(1);
			}
			assertArrayEquals(noisy[0], noisy[1], 0f, "noise=on is reproducible from its seed");
			float diff = 0;
			float[] plain = (float[]) own.getStack().getPixels(1);
			for (int i = 0; i < plain.length; i++) diff = Math.max(diff, Math.abs(plain[i] - noisy[0][i]));
			assertTrue(diff > 1e-3, "noise changes the image (by " + diff + ")");

			CommandModule alone = run("labels", labels, "model", model, "style", style);
			assertTrue(alone.isCanceled() && alone.getCancelReason().contains("stylelabels"), String.valueOf(alone.getCancelReason()));
		}
	}
}
