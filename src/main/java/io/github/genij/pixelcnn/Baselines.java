package io.github.genij.pixelcnn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Plain yardsticks for a PixelCNN's bits per dimension, computed on the same images: a model that treats every
 * pixel position as independent (a histogram of each position's 256 levels over the training images, add-one
 * smoothed), and what PNG needs to store the images (file by file, and all of them in one file, which spreads
 * PNG's fixed 57 bytes of signature and chunk headers).
 */
public final class Baselines {

	private Baselines() {}

	/** Bits/dim of {@code test} under per-position level histograms learned from {@code train} (grey or RGB levels). */
	public static double histogramBitsPerDim(List<int[]> train, List<int[]> test) {
		int dims = train.get(0).length;
		int[][] counts = new int[dims][256];
		for (int[] img : train)
			for (int i = 0; i < dims; i++) counts[i][img[i]]++;
		double bits = 0, total = train.size() + 256.0;
		for (int[] img : test)
			for (int i = 0; i < dims; i++) bits -= Math.log((counts[i][img[i]] + 1) / total);
		return bits / Math.log(2) / ((double) test.size() * dims);
	}

	/** Bits/dim of 8-bit grey images stored one PNG file each (whole files, headers included). */
	public static double pngBitsPerDim(List<int[]> grey, int width, int height) {
		long bytes = 0;
		for (int[] img : grey) bytes += png(img, width, height, 1);
		return bytes * 8.0 / ((double) grey.size() * width * height);
	}

	/** Bits/dim of the same images stored as one PNG file, stacked vertically. */
	public static double pngTogetherBitsPerDim(List<int[]> grey, int width, int height) {
		int[] all = new int[grey.size() * width * height];
		for (int k = 0; k < grey.size(); k++) System.arraycopy(grey.get(k), 0, all, k * width * height, width * height);
		return png(all, width, height * grey.size(), 1) * 8.0 / all.length;
	}

	private static long png(int[] levels, int width, int height, int channels) {
		java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
		b.getRaster().setPixels(0, 0, width, height, levels);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(b, "png", out);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return out.size();
	}
}
