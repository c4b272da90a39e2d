package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import io.github.genij.core.GenIJException;

/**
 * Instance normalisation and AdaIN over {@code [N, C, H, W]} arrays, with PyTorch's numerics. DJL has no
 * instance-norm block, and its {@code mean} over several axes throws, so statistics are sums over H and W
 * divided by the count.
 */
public final class Normalization {

	/** PyTorch's default epsilon for InstanceNorm2d, and the one the AdaIN reference adds to the variance. */
	public static final float EPS = 1e-5f;

	private Normalization() {}

	/**
	 * {@code InstanceNorm2d} without running statistics: per sample and channel, biased variance. As
	 * PyTorch's own {@code instance_norm} does, this is libtorch's batch norm in training mode over the
	 * input seen as one sample of N*C channels: one fused pass instead of eight, and differentiable.
	 */
	public static NDArray instanceNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
		long[] s = x.getShape().getShape();
		if (s.length != 4) throw new IllegalArgumentException("expected [N, C, H, W], got " + x.getShape());
		long n = s[0], c = s[1], nc = n * c;
		if (s[2] * s[3] < 2) {
			throw new GenIJException("The image is too small for this network: at one of its layers it is " + s[3] + "x" + s[2] +
				" pixel(s), and instance norm needs at least two. Use a larger image.");
		}
		NDManager m = x.getManager();
		// throwaway running statistics: batch norm in training mode updates them, instance norm keeps none
		NDArray runningMean = m.zeros(new Shape(nc), x.getDataType(), x.getDevice());
		NDArray runningVar = m.ones(new Shape(nc), x.getDataType(), x.getDevice());
		// DJL's batch norm needs a scale and a shift: 1 and 0 when the norm has none
		NDArray g = gamma == null ? m.ones(new Shape(nc), x.getDataType(), x.getDevice()) : perSample(gamma, n, c);
		NDArray b = beta == null ? m.zeros(new Shape(nc), x.getDataType(), x.getDevice()) : perSample(beta, n, c);
		NDArray y = BatchNorm.batchNorm(x.reshape(1, nc, s[2], s[3]), runningMean, runningVar, g, b, 1, 0.1f, eps, true)
			.singletonOrThrow();
		return y.reshape(s);
	}

	/** A per-channel {@code [C]} vector repeated for each of {@code n} samples: {@code [N*C]}. */
	private static NDArray perSample(NDArray v, long n, long c) {
		return n == 1 ? v.reshape(c) : v.reshape(1, c).repeat(0, n).reshape(n * c);
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
