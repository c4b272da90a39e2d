package io.github.genij.style;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.WindowManager;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageFiles;

/**
 * Resolves a list of images given as text, comma-separated: each item is the title of an open image
 * (macros, Fiji) or a file path (the CLI, headless batch).
 */
final class ImageSources {

	private ImageSources() {}

	static List<ImagePlus> resolve(String list, String key) {
		List<ImagePlus> images = new ArrayList<>();
		if (list == null || list.trim().isEmpty()) throw new GenIJException("Give " + key + "=<image title or file>[,...].");
		for (String item : list.split(",")) {
			String name = item.trim();
			if (name.isEmpty()) continue;
			ImagePlus imp = WindowManager.getImage(name);
			if (imp == null && Files.isRegularFile(Paths.get(name))) imp = ImageFiles.open(Paths.get(name));
			if (imp == null) {
				throw new GenIJException(key + ": '" + name + "' is neither an open image's title nor a readable image file.");
			}
			FinitePixels.require(imp);
			images.add(imp);
		}
		if (images.isEmpty()) throw new GenIJException("Give " + key + "=<image title or file>[,...].");
		return images;
	}

	/** Comma-separated numbers, one per image; blank means equal weights. Normalised to sum to 1. */
	static double[] weights(String text, int count) {
		if (text == null || text.trim().isEmpty()) {
			double[] w = new double[count];
			java.util.Arrays.fill(w, 1.0 / count);
			return count == 1 ? null : w;
		}
		String[] parts = text.trim().split("[,\\s]+");
		if (parts.length != count)
			throw new GenIJException("weights has " + parts.length + " values for " + count + " style image(s).");
		double[] w = new double[count];
		double sum = 0;
		for (int i = 0; i < count; i++) {
			try {
				w[i] = Double.parseDouble(parts[i]);
			}
			catch (NumberFormatException e) {
				throw new GenIJException("weights: '" + parts[i] + "' is not a number.");
			}
			if (w[i] < 0) throw new GenIJException("weights must not be negative.");
			sum += w[i];
		}
		if (sum <= 0) throw new GenIJException("weights must not all be zero.");
		for (int i = 0; i < count; i++) w[i] /= sum;
		return w;
	}
}
