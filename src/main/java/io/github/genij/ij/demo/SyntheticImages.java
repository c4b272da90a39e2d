package io.github.genij.ij.demo;

import java.util.Random;

import ij.ImagePlus;
import ij.process.ColorProcessor;

/** Embedded demo inputs drawn from a fixed seed, so the demo needs no download and no third-party image. */
public final class SyntheticImages {

	private SyntheticImages() {}

	/** A two-colour "fluorescence micrograph": nuclei (magenta) and cytoplasm (green) on a dark, noisy field. */
	public static ImagePlus cells(int width, int height, long seed) {
		Random r = new Random(seed);
		float[] green = new float[width * height], magenta = new float[width * height];
		int n = width * height / 12000;
		for (int i = 0; i < n; i++) {
			double cx = r.nextDouble() * width, cy = r.nextDouble() * height;
			double radius = 6 + r.nextDouble() * 10, brightness = 0.5 + r.nextDouble() * 0.5;
			blob(green, width, height, cx, cy, radius * 1.5, brightness * 0.35);
			blob(magenta, width, height, cx + r.nextGaussian() * 3, cy + r.nextGaussian() * 3, radius * 0.7, brightness);
		}
		ColorProcessor cp = new ColorProcessor(width, height);
		int[] px = (int[]) cp.getPixels();
		for (int i = 0; i < px.length; i++) {
			int g = clamp(255 * green[i] + 12 + r.nextGaussian() * 6);
			int m = clamp(255 * magenta[i] + 10 + r.nextGaussian() * 6);
			px[i] = 0xff000000 | (m << 16) | (g << 8) | m;
		}
		return new ImagePlus("synthetic-cells", cp);
	}

	private static void blob(float[] plane, int width, int height, double cx, double cy, double sigma, double peak) {
		int reach = (int) Math.ceil(3 * sigma);
		for (int y = Math.max(0, (int) cy - reach); y < Math.min(height, (int) cy + reach); y++)
			for (int x = Math.max(0, (int) cx - reach); x < Math.min(width, (int) cx + reach); x++) {
				double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
				plane[y * width + x] = (float) Math.min(1, plane[y * width + x] + peak * Math.exp(-d2 / (2 * sigma * sigma)));
			}
	}

	private static int clamp(double v) {
		return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
	}
}
