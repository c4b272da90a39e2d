package io.github.genij.style;

/**
 * CORAL colour matching as the AdaIN reference does it for colour preservation: the source image's
 * colours get the target's per-channel mean and spread and its channel covariance, via
 * {@code sqrt(C_t) sqrt(C_s)^-1} applied to the standardised source. Covariances are of standardised
 * channels plus the identity, not divided by the pixel count, exactly as the reference computes them.
 */
final class Coral {

	private Coral() {}

	/** Source and target are planar RGB ([3][n] as one array); returns the matched source. */
	static float[] match(float[] source, float[] target) {
		Moments t = new Moments();
		t.add(target, target.length / 3);
		return match(source, t);
	}

	/**
	 * A target's colour moments, added up piece by piece (the tiles of an image too large for one pass):
	 * the pixel count, per-channel sums, and sums of channel products, in double.
	 */
	static final class Moments {
		long n;
		final double[] sum = new double[3];
		final double[][] products = new double[3][3];

		/** Adds {@code n} pixels of planar RGB ({@code [3][n]} as one array). */
		void add(float[] rgb, int count) {
			for (int i = 0; i < count; i++) {
				for (int a = 0; a < 3; a++) {
					double va = rgb[a * count + i];
					sum[a] += va;
					for (int b = 0; b < 3; b++) products[a][b] += va * rgb[b * count + i];
				}
			}
			n += count;
		}
	}

	/** {@link #match(float[], float[])} with the target given by its moments. */
	static float[] match(float[] source, Moments target) {
		int ns = source.length / 3;
		double[] sm = new double[3], ss = new double[3], tm = new double[3], ts = new double[3];
		meanStd(source, ns, sm, ss);
		double[][] tCov = covariance(target, tm, ts);
		double[][] sCov = covariance(source, ns, sm, ss);
		double[][] m = multiply(sqrtSpd(tCov), invert(sqrtSpd(sCov)));
		float[] out = new float[source.length];
		for (int i = 0; i < ns; i++) {
			double[] z = new double[3];
			for (int c = 0; c < 3; c++) z[c] = (source[c * ns + i] - sm[c]) / ss[c];
			for (int r = 0; r < 3; r++) {
				double v = m[r][0] * z[0] + m[r][1] * z[1] + m[r][2] * z[2];
				out[r * ns + i] = (float) (v * ts[r] + tm[r]);
			}
		}
		return out;
	}

	/** Mean and unbiased standard deviation per channel. */
	private static void meanStd(float[] x, int n, double[] mean, double[] std) {
		for (int c = 0; c < 3; c++) {
			double s = 0;
			for (int i = 0; i < n; i++) s += x[c * n + i];
			mean[c] = s / n;
			double q = 0;
			for (int i = 0; i < n; i++) q += (x[c * n + i] - mean[c]) * (x[c * n + i] - mean[c]);
			std[c] = Math.sqrt(q / Math.max(1, n - 1));
			if (std[c] == 0) std[c] = 1e-8;
		}
	}

	/** Mean, unbiased standard deviation and the reference's covariance (of standardised channels, plus I) from moments. */
	private static double[][] covariance(Moments t, double[] mean, double[] std) {
		long n = t.n;
		for (int c = 0; c < 3; c++) {
			mean[c] = t.sum[c] / n;
			double q = t.products[c][c] - n * mean[c] * mean[c];
			std[c] = Math.sqrt(Math.max(0, q) / Math.max(1, n - 1));
			if (std[c] == 0) std[c] = 1e-8;
		}
		double[][] cov = new double[3][3];
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++) cov[a][b] = (t.products[a][b] - n * mean[a] * mean[b]) / (std[a] * std[b]);
		for (int a = 0; a < 3; a++) cov[a][a] += 1;
		return cov;
	}

	private static double[][] covariance(float[] x, int n, double[] mean, double[] std) {
		double[][] cov = new double[3][3];
		for (int i = 0; i < n; i++) {
			double[] z = new double[3];
			for (int c = 0; c < 3; c++) z[c] = (x[c * n + i] - mean[c]) / std[c];
			for (int a = 0; a < 3; a++)
				for (int b = 0; b < 3; b++) cov[a][b] += z[a] * z[b];
		}
		for (int a = 0; a < 3; a++) cov[a][a] += 1;
		return cov;
	}

	/** Square root of a symmetric positive definite 3x3 matrix, by Jacobi eigen-decomposition. */
	static double[][] sqrtSpd(double[][] a) {
		double[][] v = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		double[][] d = { a[0].clone(), a[1].clone(), a[2].clone() };
		for (int sweep = 0; sweep < 50; sweep++) {
			double off = Math.abs(d[0][1]) + Math.abs(d[0][2]) + Math.abs(d[1][2]);
			if (off < 1e-15 * (Math.abs(d[0][0]) + Math.abs(d[1][1]) + Math.abs(d[2][2]))) break;
			for (int p = 0; p < 2; p++)
				for (int q = p + 1; q < 3; q++) {
					if (d[p][q] == 0) continue;
					double theta = (d[q][q] - d[p][p]) / (2 * d[p][q]);
					double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
					if (theta == 0) t = 1;
					double c = 1 / Math.sqrt(t * t + 1), s = t * c;
					for (int k = 0; k < 3; k++) { // rotate rows/columns p and q
						double dkp = d[k][p], dkq = d[k][q];
						d[k][p] = c * dkp - s * dkq;
						d[k][q] = s * dkp + c * dkq;
					}
					for (int k = 0; k < 3; k++) {
						double dpk = d[p][k], dqk = d[q][k];
						d[p][k] = c * dpk - s * dqk;
						d[q][k] = s * dpk + c * dqk;
					}
					for (int k = 0; k < 3; k++) {
						double vkp = v[k][p], vkq = v[k][q];
						v[k][p] = c * vkp - s * vkq;
						v[k][q] = s * vkp + c * vkq;
					}
				}
		}
		double[][] r = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++) r[i][j] += v[i][k] * Math.sqrt(Math.max(0, d[k][k])) * v[j][k];
		return r;
	}

	static double[][] multiply(double[][] a, double[][] b) {
		double[][] r = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++) r[i][j] += a[i][k] * b[k][j];
		return r;
	}

	static double[][] invert(double[][] m) {
		double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
			m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
		double[][] r = new double[3][3];
		r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
		r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
		r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
		r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
		r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
		r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
		r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
		r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
		r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
		return r;
	}
}
