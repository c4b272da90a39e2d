package io.github.genij.pixelcnn;

/**
 * The auxiliary images of Kolesnikov &amp; Lampert's models, computed from an image's 8-bit levels: its 4-bit grey
 * version (Grayscale PixelCNN) and its coarser levels (Pyramid PixelCNN), with the masks a completion needs at
 * each of them.
 */
final class AuxiliaryImages {

	/** The levels of the 4-bit grey image. */
	static final int GREY_DEPTH = 16;

	private AuxiliaryImages() {}

	/**
	 * The 4-bit grey image: the top 4 bits of the luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B, rounded), or of
	 * the grey level itself for a one-channel image.
	 */
	static Canvas grey(Canvas c) {
		Canvas g = new Canvas(c.count, 1, c.height, c.width, GREY_DEPTH);
		for (int k = 0; k < c.count; k++)
			for (int y = 0; y < c.height; y++)
				for (int x = 0; x < c.width; x++) {
					int luma = c.channels == 1 ? c.levels[c.index(k, 0, y, x)]
						: (int) Math.round(0.299 * c.levels[c.index(k, 0, y, x)] + 0.587 * c.levels[c.index(k, 1, y, x)] +
							0.114 * c.levels[c.index(k, 2, y, x)]);
					g.levels[g.index(k, 0, y, x)] = luma >> 4;
				}
		return g;
	}

	/** The side of pyramid level {@code k} for a side of {@code n} at level 0: halved k times, rounding up. */
	static int side(int n, int k) {
		for (int i = 0; i < k; i++) n = (n + 1) / 2;
		return n;
	}

	/**
	 * Pyramid level {@code k}: each pixel the mean of a 2^k x 2^k block of the image (of its pixels inside the image,
	 * at the right and bottom edges), rounded half to even, as Kolesnikov's {@code quantize(avg_pool(x, 2^k))}.
	 */
	static Canvas level(Canvas c, int k) {
		if (k == 0) return c;
		int b = 1 << k, h = side(c.height, k), w = side(c.width, k);
		Canvas out = new Canvas(c.count, c.channels, h, w);
		for (int n = 0; n < c.count; n++)
			for (int ch = 0; ch < c.channels; ch++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++) {
						long sum = 0;
						int count = 0;
						for (int yy = y * b; yy < Math.min(c.height, (y + 1) * b); yy++)
							for (int xx = x * b; xx < Math.min(c.width, (x + 1) * b); xx++) {
								sum += c.levels[c.index(n, ch, yy, xx)];
								count++;
							}
						out.levels[out.index(n, ch, y, x)] = (int) Math.rint((double) sum / count);
					}
		return out;
	}

	/** The mask at pyramid level {@code k}: a block is re-drawn when any of its pixels is; null stays null (all). */
	static boolean[] mask(boolean[] mask, int height, int width, int k) {
		if (mask == null || k == 0) return mask;
		int b = 1 << k, h = side(height, k), w = side(width, k);
		boolean[] out = new boolean[h * w];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++)
				if (mask[y * width + x]) out[(y / b) * w + x / b] = true;
		return out;
	}

	/**
	 * The share of a level-k pixel's likelihood that each image pixel takes: 1 over the number of image pixels in its
	 * block, {@code height * width} values row after row.
	 */
	static float[] shares(int height, int width, int k) {
		int b = 1 << k;
		float[] out = new float[height * width];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				int rows = Math.min(height, (y / b + 1) * b) - (y / b) * b, cols = Math.min(width, (x / b + 1) * b) - (x / b) * b;
				out[y * width + x] = 1f / (rows * cols);
			}
		return out;
	}
}
