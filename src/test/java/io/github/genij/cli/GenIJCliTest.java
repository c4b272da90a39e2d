package io.github.genij.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

class GenIJCliTest {

	@TempDir
	Path dir;

	private String out, err;

	private int cli(String... args) {
		ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		int code = new GenIJCli(new PrintStream(o, true), new PrintStream(e, true)).run(args);
		out = new String(o.toByteArray(), StandardCharsets.UTF_8);
		err = new String(e.toByteArray(), StandardCharsets.UTF_8);
		return code;
	}

	private Path tiff(String name, int bits) {
		ImagePlus imp = IJ.createImage(name, bits + "-bit ramp", 48, 32, 1);
		Path p = dir.resolve(name);
		new FileSaver(imp).saveAsTiff(p.toString());
		return p;
	}

	@Test
	void listShowsEveryCommandWithItsKeys() {
		assertEquals(0, cli("list"));
		assertTrue(out.contains("Engine Info\tPlugins>GenIJ>Engine Info\tkeys: device=auto|cpu"), out);
		assertTrue(out.contains("Box Blur\tPlugins>GenIJ>Testing>Box Blur\tkeys:"), out);
		assertTrue(out.contains("input=<image file>"), out);
		assertTrue(out.contains("outputs: result=<image file>"), out);
	}

	@Test
	void engineInfoPrintsTheReport() {
		assertEquals(0, cli("run", "engine info", "DEVICE=cpu"));
		assertTrue(out.startsWith("GenIJ engine report\nengine: PyTorch 2.7.1"), out);
	}

	@Test
	void imagesGoInByPathAndComeOutWhereTheKeySaysKeepingTheirBitDepth() throws Exception {
		for (int bits : new int[] { 8, 16, 32 }) {
			Path in = tiff("in" + bits + ".tif", bits), result = dir.resolve("out" + bits + ".tif");
			assertEquals(0, cli("run", "Box Blur", "input=" + in, "result=" + result), err);
			ImagePlus back = IJ.openImage(result.toString());
			assertEquals(bits, back.getBitDepth());
			assertEquals(48, back.getWidth());
			try (java.util.stream.Stream<Path> files = Files.list(dir)) {
				assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".part-")), "no temporary file left");
			}
		}
	}

	@Test
	void errorsAreOneLineAndNonZero() throws Exception {
		Path in = tiff("in.tif", 8), existing = tiff("taken.tif", 8);
		byte[] before = Files.readAllBytes(existing);

		assertEquals(2, cli("run", "No Such Command"));
		assertTrue(err.startsWith("genij: No GenIJ command is labelled 'No Such Command'. Known: "), err);

		assertEquals(2, cli("run", "Box Blur", "input=" + in, "colour=red"));
		assertTrue(err.contains("has no key 'colour'. Keys: "), err);

		assertEquals(1, cli("run", "Box Blur"));
		assertTrue(err.contains("needs input=<image file>"), err);

		assertEquals(1, cli("run", "Box Blur", "input=" + dir.resolve("missing.tif")));
		assertTrue(err.startsWith("genij: No such image file: "), err);

		assertEquals(1, cli("run", "Box Blur", "input=" + in, "failwith=usererror"));
		assertEquals("genij: The input is unsuitable: try another.\n", err);

		assertEquals(1, cli("run", "Box Blur", "input=" + in, "result=" + existing));
		assertTrue(err.contains("already exists; GenIJ does not overwrite files"), err);
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(existing)), "the user's file is untouched");

		assertEquals(1, cli("run", "Box Blur", "input=" + in, "result=" + dir.resolve("out.bmp")));
		assertTrue(err.contains("use .tif"), err);

		for (String e : err.split("\n")) assertTrue(e.startsWith("genij: "), "one line: " + err);
	}

	@Test
	void overwriteIsOnlyOnRequest() {
		Path in = tiff("in.tif", 8), existing = tiff("taken.tif", 16);
		assertEquals(0, cli("run", "Box Blur", "input=" + in, "result=" + existing, "--overwrite"), err);
		assertEquals(8, IJ.openImage(existing.toString()).getBitDepth());
	}

	@Test
	void macroStyleBracketsAreAccepted() {
		assertEquals("my photo.tif", GenIJCli.parseKeys(new java.util.ArrayList<>(java.util.Arrays.asList(
			"input=[my photo.tif]"))).get("input"));
	}

	@Test
	void demoWritesItsResultsAndAContactSheet() {
		assertEquals(0, cli("demo", dir.resolve("demo").toString()), err);
		assertTrue(Files.isRegularFile(dir.resolve("demo/contact-sheet.png")));
		assertTrue(Files.isRegularFile(dir.resolve("demo/tiling-sharpened.png")));
		// GenIJ's own pix2pix model (models/fashion-silhouettes) runs through Translate
		assertTrue(Files.isRegularFile(dir.resolve("demo/pix2pix-fashion.png")), out);
		// GenIJ's own ProGAN (models/fashion-mnist-progan): the same seeds at each grown resolution
		assertTrue(Files.isRegularFile(dir.resolve("demo/progan-growth.png")), out);
		assertTrue(out.contains("largest difference: 0 grey level") || out.contains("largest difference: 1 grey level"),
			out);
	}

	/** Values of the wrong type are refused by the CLI with one line naming the key, the value and what is allowed. */
	@Test
	void valuesOfTheWrongTypeAreRefused() {
		for (String[] c : new String[][] { { "iterations=abc", "iterations=abc is not a whole number (1 or more)." },
			{ "styleweight=abc", "styleweight=abc is not a number." },
			{ "preservecolor=maybe", "preservecolor=maybe is not allowed: use true or false." },
			{ "optimizer=sgd", "optimizer=sgd is not allowed: use lbfgs or adam." } }) {
			ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			int code = new GenIJCli(new PrintStream(o, true), new PrintStream(e, true)).run(new String[] { "run",
				"Style Transfer (Gatys)", c[0], "content=missing.png" });
			String text = e.toString(StandardCharsets.UTF_8);
			assertEquals(GenIJCli.FAILED, code, text);
			assertEquals("genij: " + c[1], text.trim());
		}
	}

	/** An input is never changed: not even with --overwrite may a result be written over it. */
	@Test
	void aResultIsNeverWrittenOverAnInput(@TempDir Path dir) throws Exception {
		Path photo = dir.resolve("photo.png");
		new FileSaver(IJ.createImage("photo", "RGB noise", 16, 16, 1)).saveAsPng(photo.toString());
		byte[] before = Files.readAllBytes(photo);
		ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		int code = new GenIJCli(new PrintStream(o, true), new PrintStream(e, true)).run(new String[] { "run",
			"Style Transfer (Gatys)", "content=" + photo, "style=" + photo, "iterations=1", "result=" + dir.resolve(".").resolve("photo.png"),
			"--overwrite" });
		String text = e.toString(StandardCharsets.UTF_8);
		assertEquals(GenIJCli.FAILED, code, text);
		assertTrue(text.contains("is the file of the input content; GenIJ never changes its inputs"), text);
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(photo)), "the input is unchanged");
	}
}
