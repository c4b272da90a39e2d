package io.github.genij.pixelcnn;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.TrainingData;

/**
 * {@code genij data fashion-mnist [folder] [training items]}: Debian's Fashion-MNIST as two TIFF stacks,
 * {@code train/} (60,000 items, or the first N) and {@code test/} (10,000), for Train PixelCNN
 * ({@code folder=.../train heldout=.../test}).
 */
public final class FashionMnistData implements TrainingData {

	@Override
	public String name() {
		return "fashion-mnist";
	}

	@Override
	public String usage() {
		return "fashion-mnist [folder] [training items]   (Fashion-MNIST as train/ and test/ TIFF stacks of 28x28 items, for Train PixelCNN; " +
			"the first N training items only if N is given)";
	}

	@Override
	public void make(List<String> args, PrintStream out) {
		Path folder = !args.isEmpty() ? Paths.get(args.get(0)) : Paths.get("target", "data", "fashion-mnist");
		Path idx = DemoData.fashionMnist(Paths.get("target", "demo-data"), out);
		if (idx == null) throw new GenIJException("Fashion-MNIST could not be fetched (apt-get download dataset-fashion-mnist).");
		byte[][] train = DemoData.fashionMnistItems(idx, "train");
		int n = train.length;
		if (args.size() > 1) {
			try {
				n = Integer.parseInt(args.get(1));
			}
			catch (NumberFormatException e) {
				n = -1;
			}
			if (n < 1 || n > train.length)
				throw new GenIJException("training items=" + args.get(1) + " is not allowed: give a whole number from 1 to " + train.length + ".");
			train = java.util.Arrays.copyOf(train, n);
		}
		write(train, folder.resolve("train").resolve("fashion-mnist-train.tif"));
		write(DemoData.fashionMnistItems(idx, "t10k"), folder.resolve("test").resolve("fashion-mnist-test.tif"));
		out.println("Wrote " + folder + "/train/fashion-mnist-train.tif (" + String.format(java.util.Locale.ROOT, "%,d", n) + " items) and " +
			folder + "/test/fashion-mnist-test.tif (10,000).");
	}

	/** The items as one 8-bit stack. */
	static ImagePlus stack(byte[][] items) {
		int side = DemoData.FASHION_MNIST_SIDE;
		ImageStack stack = new ImageStack(side, side);
		for (byte[] item : items) stack.addSlice(null, new ByteProcessor(side, side, item.clone()));
		return new ImagePlus("fashion-mnist", stack);
	}

	private static void write(byte[][] items, Path file) {
		try {
			Files.createDirectories(file.getParent());
		}
		catch (java.io.IOException e) {
			throw new GenIJException("Cannot create " + file.getParent() + ": " + e.getMessage(), e);
		}
		if (!new FileSaver(stack(items)).saveAsTiffStack(file.toString())) throw new GenIJException("Cannot write " + file + ".");
	}
}
