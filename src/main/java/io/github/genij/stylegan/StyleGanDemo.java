package io.github.genij.stylegan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;

/**
 * StyleGAN2 with GenIJ's own model (models/fashion-mnist-stylegan2, trained by Train StyleGAN2 on Fashion-MNIST):
 * a seed grid, a style-mixing grid and an interpolation strip through the commands; then how far its samples lie
 * from the nearest training item, beside the same figure for test items (copies of training items would lie at 0).
 */
public final class StyleGanDemo implements DemoStep {

	static final String MODEL = "fashion-mnist-stylegan2";
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");
	private static final int SIDE = DemoData.FASHION_MNIST_SIDE;

	@Override
	public int order() {
		return 35;
	}

	@Override
	public String title() {
		return "StyleGAN2 (GenIJ's own model): Fashion-MNIST seed grid, style mixing and interpolation";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = DemoData.projectModel(MODEL);
		if (!Files.isRegularFile(model.resolve("model.json"))) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		List<ImagePlus> sheet = new ArrayList<>();
		ImagePlus samples;
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			long t = System.nanoTime();
			samples = result(commands.run(StyleGanSampleCommand.class, true, "model", model.toString(), "seeds", "0-15").get(), "result",
				"seed grid");
			ImagePlus grid = montage(samples.getStack(), 4, "StyleGAN2 seeds 0-15 (NVIDIA's z for each seed, constant noise, psi 1)");
			save(grid, folder.resolve("stylegan-seeds.png"), sheet);
			out.printf(Locale.ROOT, "  seeds 0-15, 32x32: %.1f s -> %s%n", (System.nanoTime() - t) / 1e9, folder.resolve("stylegan-seeds.png"));

			t = System.nanoTime();
			ImagePlus mixing = result(commands.run(StyleGanStyleMixingCommand.class, true, "model", model.toString(), "rowseeds", "0-3",
				"colseeds", "4-7", "styles", "0-3").get(), "grid", "style mixing");
			ImagePlus mix = scaled(mixing.getProcessor(), "StyleGAN2 style mixing: rows 0-3 take w 0-3 (coarse: 4x4 and 8x8) from columns 4-7");
			save(mix, folder.resolve("stylegan-mixing.png"), sheet);
			out.printf(Locale.ROOT, "  style mixing, rows 0-3 x columns 4-7, coarse styles (w 0-3) from the columns: %.1f s -> %s%n",
				(System.nanoTime() - t) / 1e9, folder.resolve("stylegan-mixing.png"));

			t = System.nanoTime();
			ImagePlus frames = result(commands.run(StyleGanInterpolateCommand.class, true, "model", model.toString(), "seeds", "0,1,2", "frames", 6,
				"space", "w").get(), "result", "interpolation");
			ImagePlus strip = montage(frames.getStack(), frames.getStackSize(), "StyleGAN2 interpolation in w: seeds 0 -> 1 -> 2, 6 frames each");
			save(strip, folder.resolve("stylegan-interpolation.png"), sheet);
			out.printf(Locale.ROOT, "  interpolation in w, seeds 0 -> 1 -> 2, %d frames: %.1f s -> %s%n", frames.getStackSize(),
				(System.nanoTime() - t) / 1e9, folder.resolve("stylegan-interpolation.png"));
		}
		if (!QUICK) nearestTrainingItems(samples.getStack(), cache, out);
		return sheet;
	}

	/**
	 * The root-mean-square distance (8-bit levels, over the 28×28 item inside the 32×32 image) from each of the 16
	 * samples to its nearest training item, and the same for 16 test items, which no model made.
	 */
	static void nearestTrainingItems(ImageStack samples, Path cache, PrintStream out) {
		Path data = DemoData.fashionMnist(cache, out);
		if (data == null) return;
		byte[][] train = DemoData.fashionMnistItems(data, "train"), test = DemoData.fashionMnistItems(data, "t10k");
		int pad = (samples.getWidth() - SIDE) / 2;
		double sampleSum = 0, testSum = 0;
		for (int i = 1; i <= samples.getSize(); i++) {
			ImageProcessor ip = samples.getProcessor(i);
			byte[] item = new byte[SIDE * SIDE];
			for (int y = 0; y < SIDE; y++)
				for (int x = 0; x < SIDE; x++) item[y * SIDE + x] = (byte) ip.get(x + pad, y + pad);
			sampleSum += nearest(item, train);
			testSum += nearest(test[i - 1], train);
		}
		int n = samples.getSize();
		out.printf(Locale.ROOT, "  nearest training item (RMS distance in 8-bit levels, mean over %d): samples %.1f, test items %.1f " +
			"(a copy of a training item would be 0)%n", n, sampleSum / n, testSum / n);
	}

	private static double nearest(byte[] item, byte[][] train) {
		long best = Long.MAX_VALUE;
		for (byte[] t : train) {
			long d = 0;
			for (int k = 0; k < item.length && d < best; k++) {
				int e = (item[k] & 0xff) - (t[k] & 0xff);
				d += e * e;
			}
			best = Math.min(best, d);
		}
		return Math.sqrt(best / (double) item.length);
	}

	static ImagePlus result(CommandModule m, String output, String what) {
		if (m.isCanceled()) throw new GenIJException("StyleGAN demo (" + what + "): " + m.getCancelReason());
		return (ImagePlus) m.getOutput(output);
	}

	/** The slices {@code columns} to a row, 2 px apart on grey, twice the size. */
	static ImagePlus montage(ImageStack s, int columns, String title) {
		int w = s.getWidth(), h = s.getHeight(), gap = 2, rows = (s.getSize() + columns - 1) / columns;
		ByteProcessor canvas = new ByteProcessor(columns * (w + gap) - gap, rows * (h + gap) - gap);
		canvas.setValue(128);
		canvas.fill();
		for (int i = 0; i < s.getSize(); i++) {
			ImageProcessor ip = s.getProcessor(i + 1);
			canvas.insert(ip instanceof ByteProcessor ? ip : ip.convertToByteProcessor(true), (i % columns) * (w + gap), (i / columns) * (h + gap));
		}
		return scaled(canvas, title);
	}

	private static ImagePlus scaled(ImageProcessor ip, String title) {
		ip.setInterpolationMethod(ImageProcessor.NONE);
		return new ImagePlus(title, ip.resize(ip.getWidth() * 2, ip.getHeight() * 2));
	}

	static void save(ImagePlus imp, Path file, List<ImagePlus> sheet) {
		ImageFiles.save(imp, file, true);
		sheet.add(imp);
	}
}
