package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * How surprised a PixelCNN is by each pixel of an image: the negative log-likelihood in bits of each pixel (all its
 * channels together) given every pixel before it in raster order. The mean over the image divided by the channels
 * is bits per dimension, the figure papers report.
 * <p>
 * One pass of the network over the whole image; for an image whose activations would not fit in
 * {@link #WHOLE_IMAGE_BYTES}, one row at a time with the rows above kept ({@link RowByRow}): the same values in
 * memory that grows with the width only.
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

	/** Above this estimate of a whole-image pass's activations, the image goes row by row. */
	static long WHOLE_IMAGE_BYTES = 1L << 30;

	private Likelihood() {}

	/** Bits per dimension over many images of one size ({@code [C, H, W]} levels each), in passes of at most {@code batch}. */
	public static double bitsPerDim(PixelModel net, java.util.List<int[]> images, int height, int width, int batch, NDManager manager) {
		double bits = 0;
		for (int i = 0; i < images.size(); i += batch)
			for (Map map : of(net, images.subList(i, Math.min(images.size(), i + batch)), height, width, manager,
				io.github.genij.core.progress.Progress.NONE))
				bits += map.bitsPerDim;
		return bits / images.size(); // every image has as many dimensions
	}

	/** How many images of this size one pass takes: as many as fit in {@link #WHOLE_IMAGE_BYTES}, at most 32; 1 row by row. */
	public static int batch(PixelModel net, int height, int width) {
		return (int) Math.max(1, Math.min(32, WHOLE_IMAGE_BYTES / Math.max(1, net.wholeImageBytes(height, width))));
	}

	/**
	 * The maps of several images of one size ({@code [C, H, W]} levels each): up to {@link #batch} of them per pass
	 * (a stack of small images goes much faster than one pass per image), each large one row by row.
	 */
	public static java.util.List<Map> of(PixelModel net, java.util.List<int[]> images, int height, int width, NDManager manager,
		io.github.genij.core.progress.Progress progress)
	{
		java.util.List<Map> out = new java.util.ArrayList<>();
		if (goesRowByRow(net, height, width)) {
			for (int[] img : images) out.add(of(net, img, height, width, manager, progress));
			return out;
		}
		int plane = height * width;
		double[] nats = wholeImage(net, Canvas.of(images, net.channels(), height, width), manager);
		for (int k = 0; k < images.size(); k++) out.add(map(java.util.Arrays.copyOfRange(nats, k * plane, (k + 1) * plane), net.channels()));
		return out;
	}

	/** @param levels one image's 8-bit levels, {@code [C, H, W]} */
	public static Map of(PixelModel net, int[] levels, int height, int width, NDManager manager) {
		return of(net, levels, height, width, manager, io.github.genij.core.progress.Progress.NONE);
	}

	/** As above; a large image going row by row reports its rows to {@code progress} and stops when it is cancelled. */
	public static Map of(PixelModel net, int[] levels, int height, int width, NDManager manager, io.github.genij.core.progress.Progress progress) {
		Canvas canvas = Canvas.copies(levels, 1, net.channels(), height, width);
		double[] nats = goesRowByRow(net, height, width) ? rowByRow((PixelCnnPP) net, canvas, manager, progress) : wholeImage(net, canvas, manager);
		return map(nats, net.channels());
	}

	/**
	 * A PixelCNN++ too large for a whole-image pass goes row by row. (The auxiliary-variable models always take the
	 * whole image: their conditioning networks need it.)
	 */
	private static boolean goesRowByRow(PixelModel net, int height, int width) {
		return net instanceof PixelCnnPP && net.wholeImageBytes(height, width) > WHOLE_IMAGE_BYTES;
	}

	/** Every image's nats per pixel from one pass, image after image. */
	private static double[] wholeImage(PixelModel net, Canvas canvas, NDManager manager) {
		try (NDManager step = manager.newSubManager()) {
			return net.nats(canvas, step, DataType.FLOAT32).toType(DataType.FLOAT64, false).toDoubleArray();
		}
	}

	/** A map in bits from one image's nats per pixel. */
	private static Map map(double[] nats, int channels) {
		float[] bits = new float[nats.length];
		double sum = 0;
		for (int i = 0; i < nats.length; i++) {
			bits[i] = (float) (nats[i] / LN2);
			sum += nats[i];
		}
		return new Map(bits, sum / LN2 / ((double) channels * nats.length));
	}

	/** Each row's negative log-likelihood in nats from a row-by-row pass, rows in order. */
	private static double[] rowByRow(PixelCnnPP net, Canvas canvas, NDManager manager, io.github.genij.core.progress.Progress progress) {
		double[] nats = new double[canvas.height * canvas.width];
		try (RowByRow rows = new RowByRow(net, manager)) {
			for (int r = 0; r < canvas.height; r++) {
				progress.checkCancelled();
				if (r % 16 == 0) progress.status("PixelCNN likelihood, row by row: row " + (r + 1) + " of " + canvas.height);
				try (NDManager step = manager.newSubManager()) {
					NDArray x = canvas.rows(step, r, r + 1, DataType.FLOAT32);
					double[] row = LogisticMixture.nllPerPixel(x, rows.pass(r, x)).toType(DataType.FLOAT64, false).toDoubleArray();
					System.arraycopy(row, 0, nats, r * canvas.width, canvas.width);
					rows.commit(r);
				}
			}
		}
		return nats;
	}
}
