package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * How surprised a PixelCNN is by each pixel of an image: the negative log-likelihood in bits of each pixel (all its
 * channels together) given every pixel before it in raster order, from one pass of the network. The mean over
 * the image divided by the channels is bits per dimension, the figure papers report.
 */
public final class Likelihood {

	private static final double LN2 = Math.log(2);

	/** A map of bits per pixel, row after row, and the image's bits per dimension. */
	public static final class Map {
		public final float[] bits;
		public final double bitsPerDim;

		Map(float[] bits, double bitsPerDim) {
			this.bits = bits;
			this.bitsPerDim = bitsPerDim;
		}
	}

	private Likelihood() {}

	/** Bits per dimension over many images of one size ({@code [C, H, W]} levels each), in batches of {@code batch}. */
	public static double bitsPerDim(PixelCnnPP net, java.util.List<int[]> images, int height, int width, int batch, NDManager manager) {
		double nats = 0;
		for (int i = 0; i < images.size(); i += batch) {
			java.util.List<int[]> part = images.subList(i, Math.min(images.size(), i + batch));
			Canvas canvas = new Canvas(part.size(), net.channels, height, width);
			int size = net.channels * height * width;
			for (int k = 0; k < part.size(); k++) System.arraycopy(part.get(k), 0, canvas.levels, k * size, size);
			try (NDManager step = manager.newSubManager()) {
				NDArray x = canvas.rows(step, height, DataType.FLOAT32);
				nats += LogisticMixture.nllPerPixel(x, net.forward(x)).sum().toType(DataType.FLOAT64, false).getDouble();
			}
		}
		return nats / LN2 / ((double) images.size() * net.channels * height * width);
	}

	/** @param levels one image's 8-bit levels, {@code [C, H, W]} */
	public static Map of(PixelCnnPP net, int[] levels, int height, int width, NDManager manager) {
		Canvas canvas = Canvas.copies(levels, 1, net.channels, height, width);
		try (NDManager step = manager.newSubManager()) {
			NDArray x = canvas.rows(step, height, DataType.FLOAT32);
			double[] nats = LogisticMixture.nllPerPixel(x, net.forward(x)).toType(DataType.FLOAT64, false).toDoubleArray();
			float[] bits = new float[nats.length];
			double sum = 0;
			for (int i = 0; i < nats.length; i++) {
				bits[i] = (float) (nats[i] / LN2);
				sum += nats[i];
			}
			return new Map(bits, sum / LN2 / ((double) net.channels * height * width));
		}
	}
}
