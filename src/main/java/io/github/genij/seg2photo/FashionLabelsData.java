package io.github.genij.seg2photo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.TrainingData;

/**
 * {@code genij data fashion-labels [folder] [items]}: Train SPADE's pairs from Debian's Fashion-MNIST. Each item's
 * silhouette is painted with its class (1 T-shirt/top ... 10 ankle boot; 0 is the background), so the label image
 * says "a sneaker, this shape" and the photo is the item; both 32 x 32 (the 28 x 28 item centred on black, its own
 * background), in {@code train/labels}, {@code train/images}, {@code test/labels} and {@code test/images}.
 */
public final class FashionLabelsData implements TrainingData {

	/** The classes as Train SPADE's classnames key lists them: the background, then Fashion-MNIST's ten. */
	public static final String CLASS_NAMES = "background,t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot";

	@Override
	public String name() {
		return "fashion-labels";
	}

	@Override
	public String usage() {
		return "fashion-labels [folder] [items]   (Train SPADE pairs from Fashion-MNIST: each item's silhouette painted with its class 1-10, " +
			"and the item, 32x32 PNGs in train/ and test/ {labels,images}; default 6000 training items)";
	}

	@Override
	public void make(List<String> args, PrintStream out) {
		Path folder = !args.isEmpty() ? Paths.get(args.get(0)) : Paths.get("target", "data", "fashion-labels");
		int count;
		try {
			count = args.size() > 1 ? Integer.parseInt(args.get(1)) : 6000;
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("items must be a whole number, not '" + args.get(1) + "'.");
		}
		if (count < 1 || count > 60000) throw new IllegalArgumentException("items must be from 1 to 60000, not " + count + ".");
		Path idx = DemoData.fashionMnist(Paths.get("target", "demo-data"), out);
		if (idx == null) throw new GenIJException("Fashion-MNIST could not be fetched (apt-get download dataset-fashion-mnist).");
		write(idx, "train", count, folder.resolve("train"));
		write(idx, "t10k", 40, folder.resolve("test"));
		out.println(String.format(Locale.ROOT, "Wrote %d training and 40 test pairs into %s/{train,test}/{labels,images}; classnames=%s", count, folder,
			CLASS_NAMES));
	}

	private static void write(Path idx, String part, int count, Path folder) {
		byte[][] items = DemoData.fashionMnistItems(idx, part);
		byte[] classes = DemoData.fashionMnistLabels(idx, part);
		try {
			Files.createDirectories(folder.resolve("labels"));
			Files.createDirectories(folder.resolve("images"));
		}
		catch (IOException e) {
			throw new GenIJException("Cannot create " + folder + ": " + e.getMessage(), e);
		}
		for (int i = 0; i < count; i++) {
			String name = String.format(Locale.ROOT, "%05d.png", i);
			save(labelImage(items[i], classes[i]), folder.resolve("labels").resolve(name));
			save(DemoData.fashionPadded(items[i]), folder.resolve("images").resolve(name));
		}
	}

	/** The item's silhouette painted with 1 + its class, on 0. */
	static ByteProcessor labelImage(byte[] item, int fashionClass) {
		boolean[] inside = DemoData.fashionSilhouette(item);
		byte[] values = new byte[inside.length];
		for (int i = 0; i < inside.length; i++) values[i] = inside[i] ? (byte) (1 + fashionClass) : 0;
		return DemoData.fashionPadded(values);
	}


	private static void save(ByteProcessor ip, Path file) {
		if (!new FileSaver(new ImagePlus(file.getFileName().toString(), ip)).saveAsPng(file.toString())) throw new GenIJException("Cannot write " + file + ".");
	}
}
