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
