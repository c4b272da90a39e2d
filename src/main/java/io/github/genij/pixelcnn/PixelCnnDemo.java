package io.github.genij.pixelcnn;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;

/**
 * PixelCNN with GenIJ's own model (models/fashion-mnist-pixelcnn, trained by Train PixelCNN on Fashion-MNIST):
 * samples, a completion of a test item's lower half, and a likelihood map of a test item with a pasted foreign
 * patch, through the commands; then bits/dim on test items beside two plain yardsticks computed on the same items.
 */
public final class PixelCnnDemo implements DemoStep {

	static final String MODEL = "fashion-mnist-pixelcnn";
	/** GenIJ's auxiliary-variable models (Kolesnikov & Lampert), by variant name, shown after PixelCNN++ when present. */
	static final String[][] VARIANT_MODELS = { { "Grayscale PixelCNN", "fashion-mnist-grayscale-pixelcnn" },
		{ "Pyramid PixelCNN", "fashion-mnist-pyramid-pixelcnn" } };
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");
	/** Test items for the bits/dim figures (the README's use all 10,000: -Dgenij.demo.pixelcnn.items=10000). */
	private static final int ITEMS = Integer.getInteger("genij.demo.pixelcnn.items", 500);
	private static final int SIDE = DemoData.FASHION_MNIST_SIDE;

	@Override
	public int order() {
		return 40;
	}

	@Override
	public String title() {
		return "PixelCNN++, Grayscale and Pyramid PixelCNN (GenIJ's own models): Fashion-MNIST samples, completions and likelihood maps";
	}

	/** The project's model folder. */
	static Path modelFolder() {
		return DemoData.projectModel(MODEL);
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = modelFolder();
		if (!Files.isRegularFile(model.resolve("model.json"))) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		Path data = QUICK ? null : DemoData.fashionMnist(cache, out);
		byte[][] test = data == null ? null : DemoData.fashionMnistItems(data, "t10k");
		List<ImagePlus> sheet = new ArrayList<>();
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			for (String[] named : allModels()) {
				Path m = DemoData.projectModel(named[1]);
				if (!Files.isRegularFile(m.resolve("model.json"))) {
					out.println("  " + m + " is missing: " + named[0] + " skipped");
					continue;
				}
				out.println("  " + named[0] + " (" + named[1] + "):");
				showModel(commands, named[0], m, test, cache, folder, sheet, out);
			}
			if (test != null) figures(data, test, out);
		}
		return sheet;
	}

	private static List<String[]> allModels() {
		List<String[]> all = new ArrayList<>();
		all.add(new String[] { "PixelCNN++", MODEL });
		for (String[] v : VARIANT_MODELS) all.add(v);
		return all;
	}

	/** One model's samples, completion of a test item's lower half and likelihood map of a patched test item. */
	private static void showModel(CommandService commands, String name, Path model, byte[][] test, Path cache, Path folder,
		List<ImagePlus> sheet, PrintStream out) throws Exception
	{
		String file = MODEL.equals(model.getFileName().toString()) ? "pixelcnn" : model.getFileName().toString().replace("fashion-mnist-", "");
		long t = System.nanoTime();
		ImagePlus samples = result(commands.run(PixelCnnSampleCommand.class, true, "model", model.toString(), "width", SIDE, "height", SIDE,
			"count", 8, "seed", 0L).get(), "samples");
		ImagePlus strip = row(samples.getStack(), name + " samples, seed 0");
		ImageFiles.save(strip, folder.resolve(file + "-samples.png"), true);
		out.printf(Locale.ROOT, "  8 samples of 28x28 (seed 0): %.1f s -> %s%n", (System.nanoTime() - t) / 1e9,
			folder.resolve(file + "-samples.png"));
		sheet.add(strip);

		ByteProcessor item = test != null ? new ByteProcessor(SIDE, SIDE, test[0].clone()) : (ByteProcessor) samples.getStack().getProcessor(1);
		String whose = test != null ? "test item 0 (never seen in training)" : "a sample (Fashion-MNIST is not available here)";
		ByteProcessor mask = new ByteProcessor(SIDE, SIDE);
		mask.setRoi(0, SIDE / 2, SIDE, SIDE / 2);
		mask.setValue(255);
		mask.fill();
		mask.resetRoi();
		t = System.nanoTime();
		ImagePlus completed = result(commands.run(PixelCnnCompleteCommand.class, true, "image", new ImagePlus("item", item), "mask",
			new ImagePlus("mask", mask), "model", model.toString(), "samples", 6, "seed", 0L).get(), "completion");
		ImageStack c = new ImageStack(SIDE, SIDE);
		c.addSlice("item", item);
		ByteProcessor shown = (ByteProcessor) item.duplicate();
		shown.setRoi(0, SIDE / 2, SIDE, SIDE / 2);
		shown.setValue(128);
		shown.fill();
		c.addSlice("masked", shown);
		for (int i = 1; i <= completed.getStackSize(); i++) c.addSlice("completion", completed.getStack().getProcessor(i));
		ImagePlus completion = row(c, name + " completion: item, lower half masked, 6 completions");
		ImageFiles.save(completion, folder.resolve(file + "-completion.png"), true);
		out.printf(Locale.ROOT, "  lower half of %s re-drawn 6 times: %.1f s -> %s%n", whose, (System.nanoTime() - t) / 1e9,
			folder.resolve(file + "-completion.png"));
		sheet.add(completion);

		ByteProcessor clean = test != null ? new ByteProcessor(SIDE, SIDE, test[1].clone()) : (ByteProcessor) samples.getStack().getProcessor(2);
		ByteProcessor patched = (ByteProcessor) clean.duplicate();
		int px = 9, py = 9, ps = 10;
		ImagePlus foreign = foreignPatch(cache, ps, out);
		patched.insert(foreign.getProcessor(), px, py);
		ImageStack both = new ImageStack(SIDE, SIDE);
		both.addSlice("clean", clean);
		both.addSlice("patched", patched);
		CommandModule lm = commands.run(PixelCnnLikelihoodCommand.class, true, "image", new ImagePlus("items", both), "model", model.toString()).get();
		ImagePlus maps = result(lm, "likelihood");
		float[] map = (float[]) maps.getStack().getPixels(2), cleanMap = (float[]) maps.getStack().getPixels(1);
		double inside = 0, outside = 0, cleanInside = 0;
		for (int y = 0; y < SIDE; y++)
			for (int x = 0; x < SIDE; x++) {
				boolean in = x >= px && x < px + ps && y >= py && y < py + ps;
				if (in) {
					inside += map[y * SIDE + x];
					cleanInside += cleanMap[y * SIDE + x];
				}
				else outside += map[y * SIDE + x];
			}
		out.printf(Locale.ROOT, "  likelihood map of test item 1 with a pasted %dx%d %s: %.2f bits per pixel inside the patch (%.2f there " +
			"on the clean item), %.2f elsewhere; %.3f bits/dim patched, %.3f clean -> %s%n", ps, ps, foreign.getTitle(),
			inside / (ps * ps), cleanInside / (ps * ps), outside / (SIDE * SIDE - ps * ps), mean(map), mean(cleanMap),
			folder.resolve(file + "-likelihood.png"));
		ImageStack fig = new ImageStack(SIDE, SIDE);
		fig.addSlice("clean", clean);
		fig.addSlice("patched", patched);
		fig.addSlice("map of clean", scaled(cleanMap, 16));
		fig.addSlice("map of patched", scaled(map, 16));
		ImagePlus likelihood = row(fig, name + " likelihood: item, patched, bits maps (0-16 bits)");
		ImageFiles.save(likelihood, folder.resolve(file + "-likelihood.png"), true);
		sheet.add(likelihood);
	}

	/** A patch no Fashion-MNIST item has: a crop of scikit-image's gravel texture, or seeded noise without it. */
	private static ImagePlus foreignPatch(Path cache, int side, PrintStream out) {
		Path skimage = QUICK ? null : DemoData.skimage(cache, out);
		ImagePlus gravel = skimage == null ? null : ij.IJ.openImage(skimage.resolve("gravel.png").toString());
		if (gravel != null) {
			ImageProcessor g = gravel.getProcessor().convertToByteProcessor();
			g.setRoi(200, 200, side, side);
			return new ImagePlus("crop of scikit-image's gravel texture", g.crop());
		}
		java.util.Random r = new java.util.Random(1);
		ByteProcessor noise = new ByteProcessor(side, side);
		for (int i = 0; i < side * side; i++) noise.set(i, r.nextInt(256));
		return new ImagePlus("patch of random grey levels", noise);
	}

	private static double mean(float[] bits) {
		double sum = 0;
		for (float b : bits) sum += b;
		return sum / bits.length;
	}

	/** Each model's bits/dim on the first test items, and the yardsticks on the same items. */
	private static void figures(Path data, byte[][] test, PrintStream out) {
		int n = Math.min(ITEMS, test.length);
		List<int[]> items = new ArrayList<>(), train = new ArrayList<>();
		for (int i = 0; i < n; i++) items.add(levels(test[i]));
		for (byte[] b : DemoData.fashionMnistItems(data, "train")) train.add(levels(b));
		StringBuilder models = new StringBuilder();
		for (String[] named : allModels()) {
			Path model = DemoData.projectModel(named[1]);
			if (!Files.isRegularFile(model.resolve("model.json"))) continue;
			try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
				PixelModel net = PixelCnnModels.load(ModelStore.defaultStore().resolve(model.toString(), "model"), m))
			{
				models.append(String.format(Locale.ROOT, "%s %.3f; ", named[0], Likelihood.bitsPerDim(net, items, SIDE, SIDE, 50, m)));
			}
		}
		out.printf(Locale.ROOT, "  bits/dim on the first %d test items: %sper-position histograms of the 60,000 training items %.3f; " +
			"PNG %.3f (a file per item), %.3f (all in one file)%n", n, models, Baselines.histogramBitsPerDim(train, items),
			Baselines.pngBitsPerDim(items, SIDE, SIDE), Baselines.pngTogetherBitsPerDim(items, SIDE, SIDE));
		out.println("  (the Grayscale and Pyramid PixelCNNs' figures are of the item with its auxiliary images: upper bounds of their bits/dim " +
			"for the item alone)");
	}

	private static int[] levels(byte[] b) {
		int[] v = new int[b.length];
		for (int i = 0; i < b.length; i++) v[i] = b[i] & 0xff;
		return v;
	}

	private static ImagePlus result(CommandModule m, String what) {
		if (m.isCanceled()) throw new GenIJException("PixelCNN demo (" + what + "): " + m.getCancelReason());
		return (ImagePlus) m.getOutput("result");
	}

	/** A bits map as 8-bit grey, 0 .. {@code max} bits onto 0 .. 255. */
	private static ByteProcessor scaled(float[] bits, double max) {
		FloatProcessor fp = new FloatProcessor(SIDE, SIDE, bits.clone());
		fp.setMinAndMax(0, max);
		return fp.convertToByteProcessor(true);
	}

	/** The slices of a stack side by side, 2 px apart, twice the size (28 px items are small on a screen). */
	private static ImagePlus row(ImageStack s, String title) {
		int w = s.getWidth(), h = s.getHeight(), gap = 2;
		ByteProcessor out = new ByteProcessor(s.getSize() * (w + gap) - gap, h);
		out.setValue(128);
		out.fill();
		for (int i = 1; i <= s.getSize(); i++) {
			ImageProcessor ip = s.getProcessor(i);
			out.insert(ip instanceof ByteProcessor ? ip : ip.convertToByteProcessor(true), (i - 1) * (w + gap), 0);
		}
		out.setInterpolationMethod(ImageProcessor.NONE);
		return new ImagePlus(title, out.resize(out.getWidth() * 2, out.getHeight() * 2));
	}
}
