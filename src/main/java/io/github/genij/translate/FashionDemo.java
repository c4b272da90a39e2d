package io.github.genij.translate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.Figures;
import io.github.genij.ij.demo.SyntheticImages;

/**
 * pix2pix with GenIJ's own model (models/fashion-silhouettes, trained by GenIJ's Train pix2pix): Fashion-MNIST
 * test items, which the model never saw, drawn from their silhouettes, through the Translate command.
 * The error is printed beside a plain baseline: each silhouette filled with its item's true mean grey.
 */
public final class FashionDemo implements DemoStep {

	static final String MODEL = "fashion-silhouettes";
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");


	@Override
	public int order() {
		return 20;
	}

	@Override
	public String title() {
		return "pix2pix (GenIJ's own model): Fashion-MNIST items from their silhouettes";
	}

	/** The project's model folder. */
	static Path modelFolder() {
		return DemoData.projectModel(MODEL);
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = modelFolder().resolve("weights.safetensors");
		if (!Files.isRegularFile(model)) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		Path data = QUICK ? null : DemoData.fashionMnist(cache, out);
		ImagePlus silhouettes, items = null;
		if (data != null) {
			FashionSilhouettes test = FashionSilhouettes.read(data, "t10k");
			// two sheets side by side: 256x128 px, 32 items
			java.awt.image.BufferedImage[] left = test.sheet(0), right = test.sheet(16);
			silhouettes = new ImagePlus("silhouettes", join(left[0], right[0]));
			items = new ImagePlus("truth", join(left[1], right[1]));
			out.println("  input: silhouettes of the first 32 Fashion-MNIST test items (never seen in training)");
		}
		else {
			silhouettes = new ImagePlus("silhouettes", drawnShapes());
			out.println("  Fashion-MNIST is not available here: using drawn shapes");
		}
		List<ImagePlus> sheet = new ArrayList<>();
		sheet.add(silhouettes);
		try (Context context = new Context()) {
			long t = System.nanoTime();
			CommandModule m = context.service(CommandService.class).run(TranslateCommand.class, true, "input", silhouettes,
				"model", model.toString(), "bnstats", "image").get();
			if (m.isCanceled()) throw new GenIJException("pix2pix demo: " + m.getCancelReason());
			ImagePlus result = (ImagePlus) m.getOutput("result");
			result.setTitle("pix2pix");
			Path file = folder.resolve("pix2pix-fashion.png");
			ImageFiles.save(result, file, true);
			out.printf("  %dx%d through Translate: %.1f s -> %s%n", result.getWidth(), result.getHeight(),
				(System.nanoTime() - t) / 1e9, file);
			sheet.add(result);
			if (items != null) {
				out.printf("  mean error against the true items: %.1f grey levels; silhouettes filled with one grey (the items' " +
					"mean): %.1f; each filled with its own item's mean grey (knows the answer): %.1f%n", Figures.meanError(result, items),
					Figures.meanError(filledWithMean(silhouettes, items, false), items), Figures.meanError(filledWithMean(silhouettes, items, true), items));
				sheet.add(items);
				ImageFiles.save(items, folder.resolve("pix2pix-fashion-truth.png"), true);
				ImageFiles.save(rows(silhouettes, result, items), folder.resolve("pix2pix-fashion-figure.png"), true);
			}
		}
		ImageFiles.save(silhouettes, folder.resolve("pix2pix-fashion-input.png"), true);
		return sheet;
	}

	private static ByteProcessor join(java.awt.image.BufferedImage a, java.awt.image.BufferedImage b) {
		ByteProcessor out = new ByteProcessor(a.getWidth() + b.getWidth(), a.getHeight());
		out.insert(new ByteProcessor(a), 0, 0);
		out.insert(new ByteProcessor(b), a.getWidth(), 0);
		return out;
	}

	/** Input, output and truth one above the other, 4 px apart: the README's figure. */
	private static ImagePlus rows(ImagePlus... images) {
		int w = images[0].getWidth(), h = images[0].getHeight();
		ByteProcessor out = new ByteProcessor(w, images.length * h + (images.length - 1) * 4);
		out.setColor(128);
		out.fill();
		for (int i = 0; i < images.length; i++) out.insert(images[i].getProcessor().convertToByteProcessor(false), 0, i * (h + 4));
		return new ImagePlus("silhouettes, pix2pix, truth", out);
	}

	/** Silhouettes filled with the mean grey of their own true item ({@code perItem}), or of all items. */
	static ImagePlus filledWithMean(ImagePlus silhouettes, ImagePlus items, boolean perItem) {
		ByteProcessor out = new ByteProcessor(silhouettes.getWidth(), silhouettes.getHeight());
		int cell = perItem ? FashionSilhouettes.CELL : Math.max(out.getWidth(), out.getHeight());
		for (int cy = 0; cy < out.getHeight(); cy += cell) {
			for (int cx = 0; cx < out.getWidth(); cx += cell) {
				double sum = 0;
				int n = 0;
				for (int y = cy; y < Math.min(cy + cell, out.getHeight()); y++)
					for (int x = cx; x < Math.min(cx + cell, out.getWidth()); x++)
						if (silhouettes.getProcessor().get(x, y) > 0) {
							sum += items.getProcessor().get(x, y);
							n++;
						}
				int mean = n == 0 ? 0 : (int) Math.round(sum / n);
				for (int y = cy; y < Math.min(cy + cell, out.getHeight()); y++)
					for (int x = cx; x < Math.min(cx + cell, out.getWidth()); x++) if (silhouettes.getProcessor().get(x, y) > 0) out.set(x, y, mean);
			}
		}
		return new ImagePlus("mean-filled", out);
	}

	/** A few garment-like shapes for runs without Fashion-MNIST. */
	private static ByteProcessor drawnShapes() {
		ByteProcessor bp = new ByteProcessor(128, 128);
		bp.setColor(255);
		bp.fillRect(8, 6, 16, 20); // a shirt body
		bp.fillRect(3, 6, 26, 6); // its sleeves
		bp.fillRect(42, 4, 12, 24); // trousers
		bp.setColor(0);
		bp.fillRect(47, 14, 2, 14);
		bp.setColor(255);
		bp.fillOval(70, 12, 22, 12); // a shoe
		return bp;
	}
}
