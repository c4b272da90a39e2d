package io.github.genij.seg2photo;

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
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.Figures;

/**
 * Segmentation to photo with GenIJ's own SPADE (models/fashion-mnist-spade, trained by Train SPADE on
 * {@code genij data fashion-labels}): the first 32 Fashion-MNIST test items, never seen in training, drawn from
 * their silhouettes painted with their class; then the same silhouettes called another class by name through
 * {@code labelmap}. The error is printed beside a baseline that knows each class's mean grey.
 */
public final class SpadeFashionDemo implements DemoStep {

	static final String MODEL = "fashion-mnist-spade";
	/** 8 x 4 cells of 32 px: the first 32 test items. */
	static final int COLUMNS = 8, ROWS = 4, CELL = DemoData.FASHION_PADDED_SIDE;

	@Override
	public int order() {
		return 25;
	}

	@Override
	public String title() {
		return "SPADE (GenIJ's own model): Fashion-MNIST items from silhouettes labelled with their class";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = DemoData.projectModel(MODEL);
		if (!Files.isRegularFile(model.resolve("weights.safetensors"))) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		Path data = DemoData.fashionMnist(cache, out);
		if (data == null) {
			out.println("  Fashion-MNIST is not available here: skipped");
			return List.of();
		}
		byte[][] items = DemoData.fashionMnistItems(data, "t10k");
		byte[] classes = DemoData.fashionMnistLabels(data, "t10k");
		int w = COLUMNS * CELL, h = ROWS * CELL;
		ByteProcessor labels = new ByteProcessor(w, h), truth = new ByteProcessor(w, h);
		for (int k = 0; k < COLUMNS * ROWS; k++) {
			labels.insert(FashionLabelsData.labelImage(items[k], classes[k]), (k % COLUMNS) * CELL, (k / COLUMNS) * CELL);
			truth.insert(DemoData.fashionPadded(items[k]), (k % COLUMNS) * CELL, (k / COLUMNS) * CELL);
		}
		ImagePlus labelImage = new ImagePlus("labels", labels), truthImage = new ImagePlus("truth", truth);
		out.println("  input: the first 32 Fashion-MNIST test items (never seen in training) as silhouettes painted with their class (1-10)");
		List<ImagePlus> sheet = new ArrayList<>();
		try (Context context = new Context()) {
			long t = System.nanoTime();
			ImagePlus result = spade(context, labelImage, model, "");
			out.printf("  %dx%d through Segmentation to Photo (SPADE): %.1f s%n", w, h, (System.nanoTime() - t) / 1e9);
			ImagePlus grey = grey(result);
			out.printf("  mean error against the true items: %.1f grey levels; each silhouette filled with its class's mean grey (over " +
				"these items): %.1f%n", Figures.meanError(grey, truthImage), Figures.meanError(classMeanFill(labels, truth), truthImage));
			// the per-pixel error favours flat fills; texture is what a generator adds
			out.printf("  texture inside the items (standard deviation of grey within the silhouettes): true items %.1f, SPADE %.1f, " +
				"class-mean fill %.1f%n", insideSpread(truth, labels), insideSpread(grey.getProcessor(), labels),
				insideSpread(classMeanFill(labels, truth).getProcessor(), labels));
			// every item called a bag, then a sneaker: the same shapes, the texture of another class
			ImagePlus bags = spade(context, labelImage, model, "1=bag,2=bag,3=bag,4=bag,5=bag,6=bag,7=bag,8=bag,9=bag,10=bag");
			ImagePlus coats = spade(context, labelImage, model, "1=coat,2=coat,3=coat,4=coat,5=coat,6=coat,7=coat,8=coat,9=coat,10=coat");
			out.println("  the same silhouettes with every item named 'bag', then 'coat' (labelmap by class name): " +
				"spade-fashion-as-bags.png, spade-fashion-as-coats.png");
			ImagePlus coloured = colouredLabels(labels);
			ImageFiles.save(coloured, folder.resolve("spade-fashion-labels.png"), true);
			ImageFiles.save(result, folder.resolve("spade-fashion.png"), true);
			ImageFiles.save(truthImage, folder.resolve("spade-fashion-truth.png"), true);
			ImageFiles.save(bags, folder.resolve("spade-fashion-as-bags.png"), true);
			ImageFiles.save(coats, folder.resolve("spade-fashion-as-coats.png"), true);
			ImageFiles.save(rows(coloured, result, truthImage), folder.resolve("spade-fashion-figure.png"), true);
			sheet.add(coloured);
			sheet.add(result);
			sheet.add(truthImage);
			sheet.add(bags);
		}
		return sheet;
	}

	private static ImagePlus spade(Context context, ImagePlus labels, Path model, String labelmap) throws Exception {
		CommandModule m = context.service(CommandService.class).run(SegmentationToPhotoSpadeCommand.class, true, "labels", labels, "model",
			model.toString(), "labelmap", labelmap).get();
		if (m.isCanceled()) throw new GenIJException("SPADE demo: " + m.getCancelReason());
		ImagePlus result = (ImagePlus) m.getOutput("result");
		result.setTitle(labelmap.isEmpty() ? "SPADE" : "SPADE " + labelmap.substring(labelmap.indexOf('=') + 1, labelmap.indexOf(',')));
		return result;
	}

	/** An RGB result as grey levels (the mean of R, G and B: the model was trained on grey photos as RGB). */
	static ImagePlus grey(ImagePlus rgb) {
		ImageProcessor ip = rgb.getProcessor();
		ByteProcessor out = new ByteProcessor(ip.getWidth(), ip.getHeight());
		for (int i = 0; i < ip.getPixelCount(); i++) {
			int p = ip.get(i);
			out.set(i, Math.round((((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / 3f));
		}
		return new ImagePlus("SPADE grey", out);
	}

	/** The standard deviation of {@code image}'s grey levels over the pixels whose label is not 0. */
	static double insideSpread(ImageProcessor image, ImageProcessor labels) {
		double sum = 0, squares = 0;
		long n = 0;
		for (int i = 0; i < labels.getPixelCount(); i++) {
			if (labels.get(i) == 0) continue;
			double v = image.get(i);
			sum += v;
			squares += v * v;
			n++;
		}
		double mean = sum / Math.max(1, n);
		return Math.sqrt(Math.max(0, squares / Math.max(1, n) - mean * mean));
	}

	/** Each label's pixels set to the mean truth grey of that label's pixels over the whole image. */
	static ImagePlus classMeanFill(ImageProcessor labels, ImageProcessor truth) {
		double[] sum = new double[256];
		int[] count = new int[256];
		for (int i = 0; i < labels.getPixelCount(); i++) {
			sum[labels.get(i)] += truth.get(i);
			count[labels.get(i)]++;
		}
		ByteProcessor out = new ByteProcessor(labels.getWidth(), labels.getHeight());
		for (int i = 0; i < labels.getPixelCount(); i++) out.set(i, (int) Math.round(sum[labels.get(i)] / count[labels.get(i)]));
		return new ImagePlus("class means", out);
	}

	private static ImagePlus colouredLabels(ByteProcessor labels) {
		ColorProcessor cp = new ColorProcessor(labels.getWidth(), labels.getHeight());
		for (int i = 0; i < labels.getPixelCount(); i++) cp.set(i, TrainSpadeCommand.classColour(labels.get(i)));
		return new ImagePlus("labels (coloured)", cp);
	}

	/** Images one above the other, 4 px apart: the README's figure. */
	private static ImagePlus rows(ImagePlus... images) {
		int w = images[0].getWidth(), h = images[0].getHeight();
		ColorProcessor out = new ColorProcessor(w, images.length * h + (images.length - 1) * 4);
		out.setColor(new java.awt.Color(128, 128, 128));
		out.fill();
		for (int i = 0; i < images.length; i++) out.insert(images[i].getProcessor().convertToRGB(), 0, i * (h + 4));
		return new ImagePlus("labels, SPADE, truth", out);
	}
}
