package io.github.genij.translate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.TrainingData;

/**
 * {@code genij data fashion-classes [folder] [class A] [class B] [items]}: two Fashion-MNIST classes as unpaired
 * folders in the CycleGAN reference's dataset layout ({@code trainA}, {@code trainB}, {@code testA}, {@code testB}), one
 * PNG per item, 32 x 32 (the 28 x 28 item centred on black, its own background, so that the side suits every
 * generator and crop size 32 needs no scaling).
 */
public final class FashionClassesData implements TrainingData {

	/** Fashion-MNIST's class names, by label value, as one word each. */
	static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
		"ankle-boot");

	@Override
	public String name() {
		return "fashion-classes";
	}

	@Override
	public String usage() {
		return "fashion-classes [folder] [class A] [class B] [items]   (two Fashion-MNIST classes as CycleGAN's trainA/trainB/testA/testB " +
			"folders of 32x32 PNGs; classes: " + String.join(", ", CLASSES) + "; default sneaker ankle-boot 1000)";
	}

	@Override
	public void make(List<String> args, PrintStream out) {
		Path folder = !args.isEmpty() ? Paths.get(args.get(0)) : Paths.get("target", "data", "fashion-classes");
		int a = classIndex(args.size() > 1 ? args.get(1) : "sneaker"), b = classIndex(args.size() > 2 ? args.get(2) : "ankle-boot");
		if (a == b) throw new IllegalArgumentException("Give two different classes, not " + CLASSES.get(a) + " twice.");
		int count;
		try {
			count = args.size() > 3 ? Integer.parseInt(args.get(3)) : 1000;
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("items must be a whole number, not '" + args.get(3) + "'.");
		}
		if (count < 1 || count > 6000) throw new IllegalArgumentException("items must be from 1 to 6000 (a class's training items), not " + count + ".");
		Path idx = DemoData.fashionMnist(Paths.get("target", "demo-data"), out);
		if (idx == null) throw new GenIJException("Fashion-MNIST could not be fetched (apt-get download dataset-fashion-mnist).");
		for (String part : new String[] { "train", "t10k" }) {
			byte[][] items = DemoData.fashionMnistItems(idx, part);
			byte[] labels = DemoData.fashionMnistLabels(idx, part);
			int n = part.equals("train") ? count : 20;
			String folderName = part.equals("train") ? "train" : "test";
			int wa = write(items, labels, a, n, folder.resolve(folderName + "A"));
			int wb = write(items, labels, b, n, folder.resolve(folderName + "B"));
			out.println(String.format(Locale.ROOT, "Wrote %d %s (A) and %d %s (B) items into %s/%sA and %sB.", wa, CLASSES.get(a), wb,
				CLASSES.get(b), folder, folderName, folderName));
		}
	}

	private static int classIndex(String name) {
		int i = CLASSES.indexOf(name.toLowerCase(Locale.ROOT));
		if (i < 0) throw new IllegalArgumentException("'" + name + "' is not a Fashion-MNIST class; the classes are " + String.join(", ", CLASSES) + ".");
		return i;
	}

	/** The first {@code n} items of class {@code label}, named by their index in the set; returns how many. */
	private static int write(byte[][] items, byte[] labels, int label, int n, Path folder) {
		try {
			Files.createDirectories(folder);
		}
		catch (IOException e) {
			throw new GenIJException("Cannot create " + folder + ": " + e.getMessage(), e);
		}
		List<Integer> chosen = new ArrayList<>();
		for (int i = 0; i < items.length && chosen.size() < n; i++)
			if (labels[i] == label) chosen.add(i);
		for (int i : chosen) {
			Path file = folder.resolve(String.format(Locale.ROOT, "%05d.png", i));
			if (!new FileSaver(new ImagePlus(file.getFileName().toString(), DemoData.fashionPadded(items[i]))).saveAsPng(file.toString()))
				throw new GenIJException("Cannot write " + file + ".");
		}
		return chosen.size();
	}

}
