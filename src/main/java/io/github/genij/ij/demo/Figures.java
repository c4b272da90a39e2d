package io.github.genij.ij.demo;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/** The figures demo steps print beside their images. */
public final class Figures {

	private Figures() {}

	/** The mean absolute difference of two images' grey levels, over every pixel of every slice of {@code b} (the reference). */
	public static double meanError(ImagePlus a, ImagePlus b) {
		double sum = 0;
		long n = 0;
		for (int k = 1; k <= b.getStackSize(); k++) {
			ImageProcessor pa = a.getStack().getProcessor(k), pb = b.getStack().getProcessor(k);
			for (int i = 0; i < pb.getPixelCount(); i++, n++) sum += Math.abs(pa.getf(i) - pb.getf(i));
		}
		return sum / n;
	}
}
