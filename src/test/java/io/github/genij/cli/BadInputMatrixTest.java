package io.github.genij.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.macro.MacroHarness;
import io.github.genij.testing.PythonOracle;

/**
 * The hardening issue's categories against every GenIJ command, through the CLI and (for values) through
 * ImageJ macros: unparsable and out-of-range values for every key, non-finite images, tiny images,
 * truncated and mislabelled files, a result named like an input, a result folder that does not exist.
 * Each must end in one {@code genij:} line naming the problem (or, for tiny images, a sound result), with
 * no stack trace and no input changed. A command without a row in {@link #WORKING} fails the matrix: a
 * new family's command joins it when it lands.
 */
class BadInputMatrixTest {

	@TempDir
	static Path dir;

	private static Context context;
	private static Path gray, style, labels, grey8;
	/** Keys that make each command run; {@code IMAGE} and {@code STYLE} stand for a small gray image file. */
	private static final Map<String, List<String>> WORKING = new LinkedHashMap<>();

	@BeforeAll
	static void start() throws IOException {
		System.setProperty(ModelStore.PROPERTY, dir.resolve("store").toString());
		context = new Context();
		gray = save("gray.tif", new ImagePlus("gray", ramp(40, 30)));
		style = save("style.png", new ImagePlus("style", ramp(24, 24)));
		ij.process.ByteProcessor classes = new ij.process.ByteProcessor(40, 30);
		for (int i = 0; i < 40 * 30; i++) classes.set(i, (i / 7) % 5);
		labels = save("labels.tif", new ImagePlus("labels", classes));
		Path styleFolder = PythonOracle.generate("style_oracle.py"), translate = PythonOracle.generate("translate_oracle.py");
		Path ab = Files.createDirectories(dir.resolve("ab"));
		for (int i = 0; i < 2; i++) new FileSaver(new ImagePlus("p", ramp(64, 32))).saveAsPng(ab.resolve("p" + i + ".png").toString());
		WORKING.put("Engine Info", List.of());
		WORKING.put("Import Checkpoint", List.of("file=" + translate.resolve("resnet6_batch_gray.pth"), "name=imported"));
		WORKING.put("Model Info", List.of("model=" + Path.of("models", "fashion-silhouettes").toAbsolutePath()));
		WORKING.put("Style Transfer (AdaIN)", List.of("content=IMAGE", "style=" + style, "encoder=" +
			styleFolder.resolve("vgg_normalised.pth"), "decoder=" + styleFolder.resolve("decoder.pth")));
		WORKING.put("Style Transfer (Fast)", List.of("input=IMAGE", "model=" + styleFolder.resolve("fast_style.pth")));
		WORKING.put("Style Transfer (Gatys)", List.of("content=IMAGE", "style=STYLE", "iterations=2"));
		String snapshot = "model=" + PythonOracle.generate("stylegan_oracle.py").resolve("skip32.pkl");
		WORKING.put("StyleGAN Sample", List.of(snapshot, "seeds=0"));
		WORKING.put("StyleGAN Style Mixing", List.of(snapshot, "rowseeds=0", "colseeds=1"));
		WORKING.put("StyleGAN Interpolate", List.of(snapshot, "seeds=0,1", "frames=1"));
		WORKING.put("StyleGAN Project", List.of(snapshot, "image=IMAGE", "steps=2"));
		WORKING.put("StyleGAN Path Length", List.of(snapshot, "samples=3"));
		WORKING.put("Segmentation to Photo (SPADE)", List.of("labels=LABELS", "model=" +
			PythonOracle.generate("spade_oracle.py").resolve("normal_instance_net_G.pth"), "instancechannel=yes"));
		Path seanCodes = Files.createDirectories(dir.resolve("sean-codes").resolve("0"));
		io.github.genij.core.weights.NumpyFiles.writeNpy(seanCodes.resolve("ACE.npy"), new io.github.genij.core.weights.NumpyFiles.Array(
			new long[] { 8 }, new double[] { 0.1, -0.2, 0.3, 0, 0.5, -0.6, 0.7, 0.1 }));
		WORKING.put("Segmentation to Photo (SEAN)", List.of("labels=LABELS", "model=" +
			PythonOracle.generate("sean_oracle.py").resolve("sean_net_G.pth"), "stylecodes=" + seanCodes.getParent()));
		WORKING.put("Segmentation to Photo (OASIS)", List.of("labels=LABELS", "model=" +
			PythonOracle.generate("oasis_oracle.py").resolve("oasis_EMA.pth"), "zdim=8"));
		Path pixelcnn = PythonOracle.generate("pixelcnn_oracle.py").resolve("grey.pth");
		grey8 = save("grey8.tif", new ImagePlus("grey8", ramp(40, 30).convertToByte(false)));
		WORKING.put("PixelCNN Likelihood", List.of("image=" + grey8, "model=" + pixelcnn));
		WORKING.put("PixelCNN Sample", List.of("model=" + pixelcnn, "width=3", "height=2", "count=1"));
		WORKING.put("PixelCNN Complete", List.of("image=" + grey8, "mask=" + labels, "model=" + pixelcnn, "samples=1"));
		Path pcnnImages = Files.createDirectories(dir.resolve("pcnn-images"));
		for (int i = 0; i < 3; i++) new FileSaver(new ImagePlus("p", ramp(8, 8).convertToByte(false))).saveAsTiff(pcnnImages.resolve("i" + i + ".tif").toString());
		WORKING.put("Train PixelCNN", List.of("folder=" + pcnnImages, "nr_resnet=1", "nr_filters=2", "nr_logistic_mix=1", "batchsize=2",
			"epochs=1", "output=trainedpcnn"));
		WORKING.put("Train StyleGAN2", List.of("folder=" + pcnnImages, "latent=2", "mapping_layers=1", "channel_base=16", "channel_max=2",
			"batchsize=4", "steps=1", "tick=1", "output=trainedsg"));
		WORKING.put("Train ProGAN", List.of("folder=" + pcnnImages, "latent=2", "depths=2", "batchsize=2", "steps=32", "fade=32", "tick=32",
			"output=trainedpg"));
		WORKING.put("Train CycleGAN", List.of("folder_a=" + ab, "folder_b=" + ab, "arch=resnet_6blocks", "ngf=2", "epochs=1", "cropsize=32",
			"output=trainedcg"));
		WORKING.put("Train pix2pix", List.of("folder_ab=" + ab, "arch=unet_32", "cropsize=32", "ngf=2", "epochs=1",
			"output=trained"));
		Path spadeLabels = Files.createDirectories(dir.resolve("spade-labels")), spadePhotos = Files.createDirectories(dir.resolve("spade-photos"));
		for (int i = 0; i < 2; i++) {
			ij.process.ByteProcessor l = new ij.process.ByteProcessor(40, 32);
			for (int k = 0; k < 40 * 32; k++) l.set(k, (k / 9) % 3);
			new FileSaver(new ImagePlus("l", l)).saveAsPng(spadeLabels.resolve("s" + i + ".png").toString());
			new FileSaver(new ImagePlus("p", ramp(40, 32))).saveAsPng(spadePhotos.resolve("s" + i + ".png").toString());
		}
		WORKING.put("Train SPADE", List.of("labels=" + spadeLabels, "images=" + spadePhotos, "ngf=1", "ndf=2", "epochs=1", "batchsize=2",
			"cropsize=32", "output=trainedspade"));
		Path fastContent = Files.createDirectories(dir.resolve("fast-content"));
		for (int i = 0; i < 2; i++) new FileSaver(new ImagePlus("c", ramp(40, 32))).saveAsPng(fastContent.resolve("c" + i + ".png").toString());
		WORKING.put("Train Fast Style", List.of("folder=" + fastContent, "style=" + style, "epochs=1", "batchsize=2", "cropsize=16",
			"output=trainedfast"));
		WORKING.put("Translate (MUNIT, UNIT)", List.of("input=IMAGE", "model=" + PythonOracle.generate("munit_oracle.py").resolve("munit_gen.pt")));
		WORKING.put("Translate (pix2pix, CycleGAN)", List.of("input=IMAGE", "model=" + translate.resolve("resnet6_batch_gray.pth")));
	}

	@AfterAll
	static void stop() {
		context.dispose();
		System.clearProperty(ModelStore.PROPERTY);
	}

	private static FloatProcessor ramp(int w, int h) {
		FloatProcessor fp = new FloatProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) fp.setf(x, y, (x * 7 + y * 13) % 255);
		return fp;
	}

	private static Path save(String name, ImagePlus imp) {
		Path p = dir.resolve(name);
		if (name.endsWith(".png")) new FileSaver(new ImagePlus(imp.getTitle(), imp.getProcessor().convertToByte(false))).saveAsPng(p.toString());
		else new FileSaver(imp).saveAsTiff(p.toString());
		return p;
	}

	// -- running --

	private static final class Outcome {
		int code;
		String out, err;

		@Override
		public String toString() {
			return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
		}
	}

	private static Outcome cli(String label, List<String> keys) {
		List<String> args = new ArrayList<>(List.of("run", label));
		args.addAll(keys);
		ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		Outcome r = new Outcome();
		r.code = new GenIJCli(new PrintStream(o, true), new PrintStream(e, true), context).run(args.toArray(new String[0]));
		r.out = o.toString(StandardCharsets.UTF_8);
		r.err = e.toString(StandardCharsets.UTF_8);
		return r;
	}

	/** The command's working keys with {@code IMAGE} as {@code image} and {@code replaced} keys swapped in. */
	private static List<String> keys(String label, Path image, String... replaced) {
		Map<String, String> k = new LinkedHashMap<>();
		for (String kv : WORKING.get(label)) {
			String v = kv.substring(kv.indexOf('=') + 1);
			if (v.equals("IMAGE")) v = image.toString();
			if (v.equals("STYLE")) v = style.toString();
			if (v.equals("LABELS")) v = labels.toString();
			k.put(kv.substring(0, kv.indexOf('=')), v);
		}
		for (String kv : replaced) k.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
		return k.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList());
	}

	/** Refused with exit 1 and exactly one line, {@code genij: ...} containing {@code expected}, no stack trace. */
	private static void assertOneLine(Outcome r, String expected) {
		assertEquals(GenIJCli.FAILED, r.code, r.toString());
		String[] lines = r.err.trim().split("\n");
		assertEquals(1, lines.length, "one line: " + r);
		assertTrue(lines[0].startsWith("genij: "), r.toString());
		assertTrue(lines[0].contains(expected), "expected '" + expected + "': " + r);
		assertFalse(lines[0].contains("Exception") || lines[0].contains("unexpected failure"), r.toString());
		assertTrue(r.out.isEmpty(), "nothing on standard output: " + r);
	}

	private static CommandCatalog catalog() {
		return new CommandCatalog(context);
	}

	private static List<CommandInfo> commands() {
		return catalog().all().stream().filter(c -> !CommandCatalog.menuPath(c).contains(">Testing>")).collect(Collectors.toList());
	}

	private static boolean isValueKey(ModuleItem<?> k) {
		Class<?> t = k.getType();
		return t == int.class || t == long.class || t == double.class || t == float.class || t == boolean.class ||
			(t == String.class && k.getChoices() != null && !k.getChoices().isEmpty());
	}

	private static List<ModuleItem<?>> imageKeys(CommandInfo c) {
		return CommandCatalog.keys(c).stream().filter(k -> k.getType() == ImagePlus.class).collect(Collectors.toList());
	}

	// -- the matrix --

	@Test
	void everyCommandHasARowInTheMatrix() {
		for (CommandInfo c : commands())
			assertTrue(WORKING.containsKey(CommandCatalog.label(c)), "no matrix row for " + CommandCatalog.label(c));
	}

	/** SciJava persists values between runs unless told not to: a key the user did not give must never be filled so. */
	@Test
	void noKeyIsRememberedFromAnEarlierRun() {
		for (CommandInfo c : commands())
			for (ModuleItem<?> k : CommandCatalog.keys(c))
				assertFalse(k.isPersisted() && k.getType() != ImagePlus.class, CommandCatalog.label(c) + " " + k.getName() +
					" is persisted: add persist = false");
	}

	@Test
	void theWorkingKeysWork() {
		for (String label : List.of("Style Transfer (AdaIN)", "Style Transfer (Fast)", "Translate (pix2pix, CycleGAN)")) {
			Outcome r = cli(label, keys(label, gray, "result=" + dir.resolve(label.replaceAll("\\W", "") + ".tif")));
			assertEquals(GenIJCli.OK, r.code, label + ": " + r);
		}
	}

	/** Every value key with text that is not a value of its type, from the CLI and from a macro. */
	@TestFactory
	Stream<DynamicTest> unparsableValuesAreRefusedNamingTheKey() {
		List<DynamicTest> tests = new ArrayList<>();
		for (CommandInfo c : commands()) {
			String label = CommandCatalog.label(c);
			for (ModuleItem<?> k : CommandCatalog.keys(c)) {
				if (!isValueKey(k)) continue;
				String key = CommandCatalog.key(k), bad = key + "=abc";
				tests.add(DynamicTest.dynamicTest(label + " " + bad, () -> {
					assertOneLine(cli(label, keys(label, gray, bad)), bad + " is not");
					assertEquals(List.of(bad), macroFailures(label, bad).stream().map(f -> f.substring(0, f.indexOf(" is not")))
						.collect(Collectors.toList()), "macro");
				}));
			}
		}
		return tests.stream();
	}

	/** Every number key with a minimum or maximum, just outside it. */
	@TestFactory
	Stream<DynamicTest> outOfRangeValuesAreRefusedNamingTheLimit() {
		List<DynamicTest> tests = new ArrayList<>();
		for (CommandInfo c : commands()) {
			String label = CommandCatalog.label(c);
			for (ModuleItem<?> k : CommandCatalog.keys(c)) {
				if (!isValueKey(k) || k.getType() == boolean.class || k.getType() == String.class) continue;
				String key = CommandCatalog.key(k);
				Object min = k.getMinimumValue(), max = k.getMaximumValue();
				if (min != null) {
					String bad = key + "=" + (Double.parseDouble(min.toString()) - 1);
					if (k.getType() == int.class || k.getType() == long.class) bad = key + "=" + (long) (Double.parseDouble(min.toString()) - 1);
					String b = bad;
					tests.add(DynamicTest.dynamicTest(label + " " + b, () -> {
						assertOneLine(cli(label, keys(label, gray, b)), b + " is too small: give ");
						assertTrue(macroFailures(label, b).get(0).contains("is too small"), "macro");
					}));
				}
				if (max != null) {
					boolean whole = k.getType() == int.class || k.getType() == long.class;
					double above = Double.parseDouble(max.toString()) + 1;
					String bad = key + "=" + (whole ? String.valueOf((long) above) : String.valueOf(above));
					tests.add(DynamicTest.dynamicTest(label + " " + bad, () ->
						assertOneLine(cli(label, keys(label, gray, bad)), bad + " is too large: give ")));
				}
			}
		}
		return tests.stream();
	}

	/** Text keys each command parses itself (lists, layer names, model names, hashes). */
	@TestFactory
	Stream<DynamicTest> malformedTextValuesAreRefusedNamingTheKey() {
		String[][] cases = { { "Style Transfer (AdaIN)", "weights=1,abc", "weights" },
			{ "Style Transfer (AdaIN)", "style=nosuchimage", "nosuchimage" },
			{ "Style Transfer (AdaIN)", "decoder=nosuch.pth", "nosuch.pth" },
			{ "Style Transfer (Fast)", "styleweights=x", "styleweights" },
			{ "Style Transfer (Fast)", "model=", "model=" },
			{ "Style Transfer (Gatys)", "stylelayers=conv9_9", "conv9_9" },
			{ "Style Transfer (Gatys)", "contentlayer=nolayer", "nolayer" },
			{ "Style Transfer (Gatys)", "features=nosuch.pth", "nosuch.pth" },
			{ "Translate (pix2pix, CycleGAN)", "model=nosuchmodel", "nosuchmodel" },
			{ "Import Checkpoint", "sha256=xyz", "sha256" },
			{ "Import Checkpoint", "arch=foo", "arch" },
			{ "Import Checkpoint", "name=../evil", "../evil" },
			{ "Model Info", "model=nosuchmodel", "nosuchmodel" },
			{ "Train pix2pix", "folder_ab=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train pix2pix", "output=", "output=" },
			{ "Train PixelCNN", "folder=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train PixelCNN", "output=", "output=" },
			{ "StyleGAN Project", "features=" + dir.resolve("nosuch.pt"), "nosuch.pt" },
			{ "Segmentation to Photo (SPADE)", "roiset=" + dir.resolve("RoiSet.zip"), "labelsfrom=rois" },
			{ "Segmentation to Photo (OASIS)", "labelsfrom=rois", "ROI Manager" },
			{ "Segmentation to Photo (SEAN)", "stylecodes=" + dir.resolve("nowhere"), "nowhere" },
			{ "Translate (MUNIT, UNIT)", "model=" + dir.resolve("nosuch.pt"), "nosuch.pt" },
			{ "Train CycleGAN", "folder_b=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train CycleGAN", "output=", "output=" },
			{ "Translate (MUNIT, UNIT)", "stylecode=" + dir.resolve("nosuch.npy"), "nosuch.npy" },
			{ "Segmentation to Photo (SEAN)", "stylelabels=" + dir.resolve("labels.tif"), "style" },
			{ "Train Fast Style", "style=" + dir.resolve("nosuch.png"), "nosuch.png" },
			{ "Train Fast Style", "output=", "output=" },
			{ "Train Fast Style", "cropsize=18", "cropsize=18" },
			{ "Train SPADE", "labels=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train SPADE", "output=", "output=" },
			{ "Train SPADE", "cropsize=48", "cropsize=48" },
			{ "Train StyleGAN2", "folder=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train StyleGAN2", "r1=abc", "r1=abc" },
			{ "Train StyleGAN2", "resolution=12", "resolution" },
			{ "Train StyleGAN2", "batchsize=6", "batchsize=6" },
			{ "Train ProGAN", "folder=" + dir.resolve("nowhere"), "nowhere" },
			{ "Train ProGAN", "output=", "output=" },
			{ "Train ProGAN", "depths=2,x", "depths=2,x" },
			{ "Train ProGAN", "fade=40", "fade=40" },
			{ "Train ProGAN", "resolution=12", "resolution=12" } };
		return Arrays.stream(cases).map(c -> DynamicTest.dynamicTest(c[0] + " " + c[1], () ->
			assertOneLine(cli(c[0], keys(c[0], gray, c[1])), c[2])));
	}

	/** Images with NaN or infinite pixels, in every image key: refused with the count and first position. */
	@TestFactory
	Stream<DynamicTest> nonFiniteImagesAreRefusedWithWhereTheyAre() {
		List<DynamicTest> tests = new ArrayList<>();
		for (float bad : new float[] { Float.NaN, Float.POSITIVE_INFINITY }) {
			FloatProcessor fp = ramp(40, 30);
			fp.setf(3, 2, bad);
			Path file = save("nonfinite-" + bad + ".tif", new ImagePlus("nonfinite", fp));
			for (CommandInfo c : commands()) {
				String label = CommandCatalog.label(c);
				for (ModuleItem<?> k : imageKeys(c)) {
					String key = CommandCatalog.key(k);
					tests.add(DynamicTest.dynamicTest(label + " " + key + " with " + bad, () -> {
						byte[] before = Files.readAllBytes(file);
						Outcome r = cli(label, keys(label, gray, key + "=" + file));
						assertOneLine(r, "1 pixel(s) that are not finite");
						assertTrue(r.err.contains("x=3, y=2"), r.toString());
						assertArrayEquals(before, Files.readAllBytes(file));
					}));
				}
			}
		}
		return tests.stream();
	}

	/** 1x1 and 5x3 images in every image key: a result of the same size, or one line naming the minimum. */
	@TestFactory
	Stream<DynamicTest> tinyImagesGiveAResultOrNameTheMinimumSize() {
		List<DynamicTest> tests = new ArrayList<>();
		for (int[] size : new int[][] { { 1, 1 }, { 5, 3 } }) {
			Path file = save("tiny" + size[0] + "x" + size[1] + ".tif", new ImagePlus("tiny", new ByteProcessor(size[0], size[1])));
			for (CommandInfo c : commands()) {
				String label = CommandCatalog.label(c);
				for (ModuleItem<?> k : imageKeys(c)) {
					String key = CommandCatalog.key(k);
					tests.add(DynamicTest.dynamicTest(label + " " + key + " " + size[0] + "x" + size[1], () -> {
						Path result = dir.resolve("tiny-" + label.replaceAll("\\W", "") + key + size[0] + ".tif");
						Outcome r = cli(label, keys(label, gray, key + "=" + file, "result=" + result));
						if (r.code == GenIJCli.OK) {
							ImagePlus back = IJ.openImage(result.toString());
							boolean sized = key.equals("content") || key.equals("input");
							if (sized) assertEquals(size[0] + "x" + size[1], back.getWidth() + "x" + back.getHeight(), r.toString());
						}
						else assertOneLine(r, "");
						assertFalse(r.err.contains("Exception"), r.toString());
					}));
				}
			}
		}
		return tests.stream();
	}

	/** A TIFF cut short, a text file called .png and a PNG called .tif, in every image key. */
	@TestFactory
	Stream<DynamicTest> damagedAndMislabelledFilesAreRefused() throws IOException {
		byte[] tiff = Files.readAllBytes(gray);
		Path cut = dir.resolve("cut.tif"), text = dir.resolve("text.png"), pngAsTif = dir.resolve("png-named.tif");
		Files.write(cut, Arrays.copyOf(tiff, tiff.length / 3));
		Files.writeString(text, "not an image");
		Files.copy(style, pngAsTif);
		List<DynamicTest> tests = new ArrayList<>();
		for (CommandInfo c : commands()) {
			String label = CommandCatalog.label(c);
			for (ModuleItem<?> k : imageKeys(c)) {
				String key = CommandCatalog.key(k);
				tests.add(DynamicTest.dynamicTest(label + " " + key, () -> {
					assertOneLine(cli(label, keys(label, gray, key + "=" + cut)), "cut.tif is cut short");
					assertOneLine(cli(label, keys(label, gray, key + "=" + text)), "Cannot read " + text);
					// ImageJ reads a PNG by its content whatever its name: a sound run or one line
					Outcome r = cli(label, keys(label, gray, key + "=" + pngAsTif));
					if (r.code != GenIJCli.OK) assertOneLine(r, "");
				}));
			}
		}
		return tests.stream();
	}

	/** A result named like an input (in another spelling, with --overwrite) and a result folder that is not there. */
	@TestFactory
	Stream<DynamicTest> resultsNeverReplaceInputsAndNeedAFolder() {
		List<DynamicTest> tests = new ArrayList<>();
		for (CommandInfo c : commands()) {
			String label = CommandCatalog.label(c);
			boolean hasResult = CommandCatalog.outputs(c).stream().anyMatch(o -> o.getType() == ImagePlus.class);
			if (!hasResult) continue;
			String out = CommandCatalog.key(CommandCatalog.outputs(c).stream().filter(o -> o.getType() == ImagePlus.class)
				.findFirst().get());
			for (ModuleItem<?> k : imageKeys(c)) {
				String key = CommandCatalog.key(k);
				tests.add(DynamicTest.dynamicTest(label + " " + out + "=" + key, () -> {
					Path copy = dir.resolve("own-" + label.replaceAll("\\W", "") + key + ".tif");
					Files.copy(gray, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					byte[] before = Files.readAllBytes(copy);
					List<String> args = new ArrayList<>(keys(label, gray, key + "=" + copy, out + "=" + dir.resolve(".").resolve(
						copy.getFileName())));
					args.add("--overwrite");
					assertOneLine(cli(label, args), "GenIJ never changes its inputs");
					assertArrayEquals(before, Files.readAllBytes(copy));
				}));
			}
			tests.add(DynamicTest.dynamicTest(label + " " + out + " in a missing folder", () ->
				assertOneLine(cli(label, keys(label, gray, out + "=" + dir.resolve("nowhere").resolve("r.tif"))), "does not exist")));
		}
		return tests.stream();
	}

	// -- macros --

	/** What GenIJ said when a macro ran {@code label} with the working keys and {@code replaced}. */
	private static List<String> macroFailures(String label, String... replaced) {
		StringBuilder options = new StringBuilder();
		String macro = "";
		for (String kv : keys(label, gray, replaced)) {
			String key = kv.substring(0, kv.indexOf('=')), v = kv.substring(kv.indexOf('=') + 1);
			if (v.equals(gray.toString()) || v.equals(labels.toString()) || v.equals(grey8.toString()) || (v.equals(style.toString()) && label.contains("Gatys"))) {
				macro += "open(\"" + v + "\");\n";
				v = Path.of(v).getFileName().toString();
			}
			options.append(key).append("=[").append(v).append("] ");
		}
		macro += "run(\"" + label + "\", \"" + options.toString().trim().replace("\\", "\\\\") + "\");\n";
		try (MacroHarness h = new MacroHarness(context)) {
			h.runText("setBatchMode(true);\n" + macro, new HashMap<>());
			return h.failures().stream().map(f -> f.substring(label.length() + 2)).collect(Collectors.toList());
		}
	}
}
