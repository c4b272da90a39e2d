package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Instance normalisation and AdaIN over {@code [N, C, H, W]} arrays, with PyTorch's numerics. DJL has no
 * instance-norm block, and its {@code mean} over several axes throws, so statistics are sums over H and W
 * divided by the count.
 */
public final class Normalization {

	/** PyTorch's default epsilon for InstanceNorm2d, and the one the AdaIN reference adds to the variance. */
	public static final float EPS = 1e-5f;

	private Normalization() {}

	/** {@code InstanceNorm2d} without running statistics: per sample and channel, biased variance. */
	public static NDArray instanceNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
		NDArray mean = mean(x);
		NDArray centred = x.sub(mean);
		NDArray var = Scalars.over(centred.square().sum(new int[] { 2, 3 }, true), pixels(x));
		NDArray y = centred.div(var.add(eps).sqrt());
		long c = x.getShape().get(1);
		if (gamma != null) y = y.mul(gamma.reshape(1, c, 1, 1));
		if (beta != null) y = y.add(beta.reshape(1, c, 1, 1));
		return y;
	}

	public static NDArray instanceNorm(NDArray x) {
		return instanceNorm(x, null, null, EPS);
	}

	/** Per-channel mean over H and W, shape {@code [N, C, 1, 1]}. */
	public static NDArray mean(NDArray x) {
		return Scalars.over(x.sum(new int[] { 2, 3 }, true), pixels(x));
	}

	/**
	 * Per-channel standard deviation over H and W, {@code sqrt(var + eps)}, shape {@code [N, C, 1, 1]}:
	 * {@code unbiased} divides by {@code H*W - 1}, as the AdaIN reference's {@code var()} does.
	 */
	public static NDArray std(NDArray x, boolean unbiased, float eps) {
		long n = pixels(x);
		if (unbiased && n < 2) throw new IllegalArgumentException("an unbiased variance needs at least 2 pixels: " + x.getShape());
		NDArray var = Scalars.over(x.sub(mean(x)).square().sum(new int[] { 2, 3 }, true), unbiased ? n - 1 : n);
		return var.add(eps).sqrt();
	}

	/**
	 * Adaptive instance normalisation: the content features, normalised per channel, take the style's
	 * per-channel mean and standard deviation. With {@code unbiased = true} and {@code eps = 1e-5} this is
	 * exactly the reference implementation (naoto0804/pytorch-AdaIN).
	 */
	public static NDArray adain(NDArray content, NDArray style, boolean unbiased, float eps) {
		NDArray normalised = content.sub(mean(content)).div(std(content, unbiased, eps));
		return normalised.mul(std(style, unbiased, eps)).add(mean(style));
	}

	/** AdaIN with given target statistics ({@code [N, C, 1, 1]} each), e.g. blended from several styles. */
	public static NDArray adain(NDArray content, NDArray targetMean, NDArray targetStd, boolean unbiased, float eps) {
		return content.sub(mean(content)).div(std(content, unbiased, eps)).mul(targetStd).add(targetMean);
	}

	private static long pixels(NDArray x) {
		long[] s = x.getShape().getShape();
		if (s.length != 4) throw new IllegalArgumentException("expected [N, C, H, W], got " + x.getShape());
		return s[2] * s[3];
	}
}
