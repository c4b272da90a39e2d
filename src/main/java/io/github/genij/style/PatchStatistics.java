package io.github.genij.style;

/**
 * How far an image's look is from another's, without any network: the mean and covariance of its 7x7 RGB patches
 * (147 values each, taken every 2 px) at full and at half size. The distance of X from S sums, over the two scales,
 * {@code |mean_X - mean_S| / |mean_S| + |cov_X - cov_S|_F / |cov_S|_F}: 0 for the same statistics, about 1 or more
 * for unrelated images. Style transfer should move a result from the content's distance towards 0; a plain colour
 * transfer moves the means but not the texture.
 */
public final class PatchStatistics {

	static final int PATCH = 7, STRIDE = 2, DIM = 3 * PATCH * PATCH;

	private final double[][] mean = new double[2][], cov = new double[2][];

	/** The statistics of an RGB image given as planes {@code [3][h*w]} with values 0..1. */
	public PatchStatistics(float[][] rgb, int w, int h) {
		float[][] level = rgb;
		int lw = w, lh = h;
		for (int s = 0; s < 2; s++) {
			measure(s, level, lw, lh);
			float[][] half = new float[3][(lw / 2) * (lh / 2)];
			for (int c = 0; c < 3; c++)
				for (int y = 0; y < lh / 2; y++)
					for (int x = 0; x < lw / 2; x++) {
						int i = 2 * y * lw + 2 * x;
						half[c][y * (lw / 2) + x] = (level[c][i] + level[c][i + 1] + level[c][i + lw] + level[c][i + lw + 1]) / 4;
					}
			level = half;
			lw /= 2;
			lh /= 2;
		}
	}

	/** From packed RGB pixels ({@code 0xRRGGBB}). */
	public static PatchStatistics ofRgb(int[] pixels, int w, int h) {
		float[][] planes = new float[3][w * h];
		for (int i = 0; i < w * h; i++) {
			planes[0][i] = ((pixels[i] >> 16) & 0xff) / 255f;
			planes[1][i] = ((pixels[i] >> 8) & 0xff) / 255f;
			planes[2][i] = (pixels[i] & 0xff) / 255f;
		}
		return new PatchStatistics(planes, w, h);
	}

	private void measure(int s, float[][] img, int w, int h) {
		if (w < PATCH || h < PATCH) throw new IllegalArgumentException("an image of " + w + "x" + h + " px is too small to measure");
		double[] m = new double[DIM], c = new double[DIM * DIM], v = new double[DIM];
		long n = 0;
		for (int y = 0; y + PATCH <= h; y += STRIDE) {
			for (int x = 0; x + PATCH <= w; x += STRIDE) {
				int k = 0;
				for (int ch = 0; ch < 3; ch++)
					for (int dy = 0; dy < PATCH; dy++)
						for (int dx = 0; dx < PATCH; dx++) v[k++] = img[ch][(y + dy) * w + x + dx];
				for (int i = 0; i < DIM; i++) {
					m[i] += v[i];
					double vi = v[i];
					int row = i * DIM;
					for (int j = i; j < DIM; j++) c[row + j] += vi * v[j];
				}
				n++;
			}
		}
		for (int i = 0; i < DIM; i++) m[i] /= n;
		for (int i = 0; i < DIM; i++)
			for (int j = i; j < DIM; j++) {
				double value = c[i * DIM + j] / n - m[i] * m[j];
				c[i * DIM + j] = value;
				c[j * DIM + i] = value;
			}
		mean[s] = m;
		cov[s] = c;
	}

	/** This image's distance from {@code style}'s statistics (see the class comment). */
	public double distanceTo(PatchStatistics style) {
		double d = 0;
		for (int s = 0; s < 2; s++) d += relative(mean[s], style.mean[s]) + relative(cov[s], style.cov[s]);
		return d;
	}

	private static double relative(double[] a, double[] b) {
		double diff = 0, norm = 0;
		for (int i = 0; i < a.length; i++) {
			diff += (a[i] - b[i]) * (a[i] - b[i]);
			norm += b[i] * b[i];
		}
		return Math.sqrt(diff) / Math.sqrt(norm);
	}

	/**
	 * How far a result went: its distance from the style over the content's (1: nowhere, 0: all the way, below 0.5: at
	 * least halfway).
	 */
	public static double remaining(PatchStatistics result, PatchStatistics content, PatchStatistics style) {
		return result.distanceTo(style) / content.distanceTo(style);
	}
}
