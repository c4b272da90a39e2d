package io.github.genij.core.random;

/**
 * numpy's legacy {@code RandomState(seed)}: the Mersenne Twister MT19937 seeded as numpy seeds it from one
 * integer, doubles of 53 random bits, and the polar (Marsaglia) Gaussian that caches its second value.
 * NVIDIA's {@code generate.py} draws a seed's latent as {@code RandomState(seed).randn(1, z_dim)}; this
 * gives the same doubles, so a seed gives NVIDIA's image.
 */
public final class NumpyRandom {

	private static final int N = 624, M = 397;
	private static final int MATRIX_A = 0x9908b0df, UPPER = 0x80000000, LOWER = 0x7fffffff;

	private final int[] key = new int[N];
	private int position;
	private boolean hasGauss;
	private double gauss;

	/** {@code numpy.random.RandomState(seed)}; numpy accepts 0 to 2^32 - 1. */
	public NumpyRandom(long seed) {
		if (seed < 0 || seed > 0xffffffffL) throw new IllegalArgumentException("a seed is 0 to 4294967295, not " + seed);
		int s = (int) seed;
		for (int i = 0; i < N; i++) {
			key[i] = s;
			s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
		}
		position = N;
	}

	/** The next 32 random bits (numpy's {@code random_uint32} / MT19937's {@code genrand_int32}). */
	int nextInt32() {
		if (position >= N) twist();
		int y = key[position++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		return y ^ (y >>> 18);
	}

	private void twist() {
		for (int i = 0; i < N; i++) {
			int y = (key[i] & UPPER) | (key[(i + 1) % N] & LOWER);
			key[i] = key[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
		}
		position = 0;
	}

	/** A double in [0, 1) from 53 random bits, as numpy's legacy {@code random_sample}. */
	public double nextDouble() {
		long a = (nextInt32() & 0xffffffffL) >>> 5, b = (nextInt32() & 0xffffffffL) >>> 6;
		return (a * 67108864.0 + b) / 9007199254740992.0;
	}

	/** A standard normal value, as numpy's legacy {@code gauss} (the polar method, second value cached). */
	public double nextGaussian() {
		if (hasGauss) {
			hasGauss = false;
			return gauss;
		}
		double x1, x2, r2;
		do {
			x1 = 2.0 * nextDouble() - 1.0;
			x2 = 2.0 * nextDouble() - 1.0;
			r2 = x1 * x1 + x2 * x2;
		} while (r2 >= 1.0 || r2 == 0.0);
		// numpy calls the C library's log: see PlatformLog for why Java's will not do (sqrt is exact in both)
		double f = Math.sqrt(-2.0 * PlatformLog.log(r2) / r2);
		gauss = f * x1;
		hasGauss = true;
		return f * x2;
	}

	/** Values as float32: how the references hand numpy's float64 draws to a network ({@code .to(torch.float32)}). */
	public static float[] toFloat32(double[] values) {
		float[] f = new float[values.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
		return f;
	}

	/** {@code RandomState(seed).randn(n)} cast to float32. */
	public static float[] randnFloat32(long seed, int n) {
		return toFloat32(randn(seed, n));
	}

	/** {@code RandomState(seed).randn(n)}. */
	public static double[] randn(long seed, int n) {
		NumpyRandom r = new NumpyRandom(seed);
		double[] z = new double[n];
		for (int i = 0; i < n; i++) z[i] = r.nextGaussian();
		return z;
	}
}
