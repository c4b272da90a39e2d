package io.github.genij.core.tiling;

/**
 * Where windows go along one axis, and how much each contributes to each pixel.
 * <p>
 * The axis is padded (by mirroring) to {@link #padded}, a multiple of the network's multiple. Windows of
 * side {@link #window} start at multiples of it too, so a network that down-samples sees every window on
 * the same grid as the whole image. A window contributes nothing in its halo at inner edges, fades in
 * over the blend width, and its weights are divided by the sum over all windows, so contributions add up
 * to exactly one at every pixel and no weight image is needed.
 */
final class AxisLayout {

	final int length;
	final int padded;
	final int window;
	final int[] starts;
	/** weights[i][k]: the normalised weight of window i at its local coordinate k (0 past the image end). */
	final float[][] weights;

	AxisLayout(int length, TileSpec spec) {
		this.length = length;
		// a multiple of the network's grid, and no smaller than the least the network accepts
		this.padded = Math.max(TileSpec.roundUp(length, spec.multiple), spec.minimumSide);
		// Never smaller than the halos and blend need, never larger than the (padded) image.
		int wanted = Math.max(spec.minimumWindow(), TileSpec.roundDown(spec.tileSize, spec.multiple));
		if (wanted >= padded) {
			window = padded;
			starts = new int[] { 0 };
		}
		else {
			window = wanted;
			starts = spread(padded, window, window - 2 * spec.halo - spec.blend, spec.multiple);
		}
		weights = normalisedWeights(spec.halo, spec.blend);
	}

	int count() {
		return starts.length;
	}

	/**
	 * First pixel (window coordinates) that window {@code i} owns: windows meet in the middle of their
	 * overlap, which is at least the halo plus half the blend away from either window's edge.
	 */
	int ownedStart(int i) {
		return i == 0 ? 0 : meeting(i) - starts[i];
	}

	/** End (exclusive, window coordinates) of what window {@code i} owns; the last one owns up to the padded end. */
	int ownedEnd(int i) {
		return i == starts.length - 1 ? padded - starts[i] : meeting(i + 1) - starts[i];
	}

	/** Where windows {@code i - 1} and {@code i} meet, in image coordinates. */
	private int meeting(int i) {
		return (starts[i] + starts[i - 1] + window) / 2;
	}

	/** Fewest windows whose starts are multiples of {@code multiple}, with gaps of at most {@code maxStep}. */
	private static int[] spread(int padded, int window, int maxStep, int multiple) {
		int span = padded - window;
		for (int n = (span + maxStep - 1) / maxStep + 1;; n++) {
			int[] s = new int[n];
			boolean fits = true;
			for (int i = 0; i < n; i++) {
				s[i] = i == n - 1 ? span : TileSpec.roundDown((int) ((long) i * span / (n - 1)), multiple);
				if (i > 0 && s[i] - s[i - 1] > maxStep) fits = false;
			}
			if (fits) return s;
		}
	}

	private float[][] normalisedWeights(int halo, int blend) {
		int n = starts.length;
		float[][] w = new float[n][window];
		double[] sum = new double[padded];
		for (int i = 0; i < n; i++) {
			for (int k = 0; k < window; k++) {
				double v = 1;
				if (i > 0) v *= ramp(k - halo, blend);
				if (i < n - 1) v *= ramp(window - 1 - k - halo, blend);
				w[i][k] = (float) v;
				sum[starts[i] + k] += v;
			}
		}
		for (int i = 0; i < n; i++)
			for (int k = 0; k < window; k++) {
				int x = starts[i] + k;
				w[i][k] = x < length ? (float) (w[i][k] / sum[x]) : 0f;
			}
		return w;
	}

	/** 0 before the fade, a raised cosine across it, 1 after it. */
	private static double ramp(int intoFade, int blend) {
		if (intoFade < 0) return 0;
		if (intoFade >= blend) return 1;
		return 0.5 - 0.5 * Math.cos(Math.PI * (intoFade + 0.5) / blend);
	}
}
