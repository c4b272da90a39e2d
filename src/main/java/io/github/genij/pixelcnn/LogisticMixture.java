package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.random.PlatformLog;

/**
 * PixelCNN++'s output distribution: per pixel a mixture of {@code M} discretised logistics over the 256 levels
 * of each channel, mapped to [-1, 1] in bins of 2/255. The parameters per pixel are the M mixture logits, then
 * per channel M means, M log-scales (clamped at -7) and, for RGB, M coefficients (through tanh) that shift the
 * green mean by red and the blue mean by red and green, so the three channels of a pixel depend on each other.
 * The two end bins take the tails. As pclucas14's {@code discretized_mix_logistic_loss} (and its 1-D form),
 * including its fall-back for bins of probability below 1e-5.
 */
public final class LogisticMixture {

	private LogisticMixture() {}

	/** Parameters per mixture component: 10 for RGB (logit, and mean, log-scale, coefficient per channel), 3 for grey. */
	public static int parametersPerMixture(int channels) {
		return channels == 3 ? 10 : 3;
	}

	/**
	 * The negative log-likelihood of each pixel (all its channels), in nats: {@code [N, H, W]}; differentiable.
	 *
	 * @param x the image {@code [N, C, H, W]} in [-1, 1] (levels / 127.5 - 1)
	 * @param l the network's output {@code [N, M * (10 | 3), H, W]}
	 */
	public static NDArray nllPerPixel(NDArray x, NDArray l) {
		return nllPerPixel(x, l, 256);
	}

	/**
	 * As above for an image of {@code depth} levels per channel (16 for the Grayscale PixelCNN's 4-bit image), in
	 * [-1, 1] as {@code level / ((depth - 1) / 2) - 1}: bins of 2 / (depth - 1), the end bins taking the tails.
	 */
	public static NDArray nllPerPixel(NDArray x, NDArray l, int depth) {
		float halfBin = 1f / (depth - 1);
		int c = (int) x.getShape().get(1);
		long n = l.getShape().get(0), h = l.getShape().get(2), w = l.getShape().get(3);
		long m = l.getShape().get(1) / parametersPerMixture(c);
		NDArray logits = l.get(":, :" + m);
		NDArray rest = l.get(":, " + m + ":").reshape(n, c, -1, h, w); // [N, C, (2|3) M, H, W]
		NDArray means = rest.get(":, :, :" + m);
		NDArray logScales = rest.get(":, :, " + m + ":" + 2 * m).maximum(-7f);
		NDArray xe = x.expandDims(2); // [N, C, 1, H, W]
		if (c == 3) {
			NDArray coeffs = rest.get(":, :, " + 2 * m + ":" + 3 * m).tanh();
			NDArray x0 = xe.get(":, 0"), x1 = xe.get(":, 1");
			NDArray m1 = means.get(":, 1").add(coeffs.get(":, 0").mul(x0));
			NDArray m2 = means.get(":, 2").add(coeffs.get(":, 1").mul(x0)).add(coeffs.get(":, 2").mul(x1));
			means = NDArrays.stack(new NDList(means.get(":, 0"), m1, m2), 1);
		}
		NDArray centred = xe.sub(means);
		NDArray invScale = logScales.neg().exp();
		NDArray plusIn = invScale.mul(centred.add(halfBin));
		NDArray minIn = invScale.mul(centred.sub(halfBin));
		NDArray cdfDelta = Activation.sigmoid(plusIn).sub(Activation.sigmoid(minIn));
		NDArray logCdfPlus = plusIn.sub(Activation.softPlus(plusIn)); // the bottom bin: log sigmoid
		NDArray logOneMinusCdfMin = Activation.softPlus(minIn).neg(); // the top bin
		NDArray midIn = invScale.mul(centred);
		NDArray logPdfMid = midIn.sub(logScales).sub(Scalars.times(Activation.softPlus(midIn), 2f));
		// the reference's selections, as products with 0/1 masks (a where() would give the same values)
		NDArray wide = cdfDelta.gt(1e-5f).toType(x.getDataType(), false);
		NDArray middle = select(wide, cdfDelta.maximum(1e-12f).log(), logPdfMid.sub((float) Math.log((depth - 1) / 2.0)));
		NDArray top = select(xe.gt(0.999f).toType(x.getDataType(), false), logOneMinusCdfMin, middle);
		NDArray logProbs = select(xe.lt(-0.999f).toType(x.getDataType(), false), logCdfPlus, top);
		NDArray perComponent = logProbs.sum(new int[] { 1 }).add(logits.logSoftmax(1)); // [N, M, H, W]
		return logSumExp(perComponent).neg();
	}

	private static NDArray select(NDArray mask, NDArray ifOne, NDArray ifZero) {
		return mask.mul(ifOne).add(mask.neg().add(1f).mul(ifZero));
	}

	/** log(sum(exp(x))) over axis 1, kept stable by the maximum. */
	private static NDArray logSumExp(NDArray x) {
		NDArray max = x.max(new int[] { 1 }, true);
		return x.sub(max).exp().sum(new int[] { 1 }).log().add(max.squeeze(1));
	}

	/**
	 * One pixel drawn from its parameters: the component by Gumbel-max over the logits, then each channel from its
	 * logistic, clamped to [-1, 1] and rounded to its 8-bit level before the next channel's mean is shifted by it.
	 * {@code temperature} T shifts the log-scales by ln T before their clamp at -7, as Kolesnikov & Lampert's
	 * {@code scale_var} does (T = 0 leaves the smallest scale, e^-7: almost the component's mean). Rounding at once draws from the discretised distribution the likelihood
	 * measures (the reference keeps the unrounded values while sampling).
	 *
	 * @param l the pixel's parameters, {@code M * (10 | 3)} values in the network's order
	 * @param mixtureDraws M uniform values in [0, 1)
	 * @param channelDraws one uniform value in [0, 1) per channel
	 * @param levels receives the 8-bit levels, one per channel
	 */
	public static void drawPixel(double[] l, int channels, double[] mixtureDraws, double[] channelDraws, double temperature,
		int[] levels)
	{
		drawPixel(l, channels, 256, mixtureDraws, channelDraws, temperature, levels);
	}

	/** As above, rounded to one of {@code depth} levels per channel. */
	public static void drawPixel(double[] l, int channels, int depth, double[] mixtureDraws, double[] channelDraws, double temperature,
		int[] levels)
	{
		double half = (depth - 1) / 2.0;
		int m = l.length / parametersPerMixture(channels), perChannel = (l.length - m) / channels;
		int k = 0;
		double best = Double.NEGATIVE_INFINITY;
		for (int j = 0; j < m; j++) {
			double u = open(mixtureDraws[j]), score = l[j] - PlatformLog.log(-PlatformLog.log(u));
			if (score > best) {
				best = score;
				k = j;
			}
		}
		double shift = PlatformLog.log(temperature); // -infinity for 0: the clamp takes over
		double[] values = new double[channels];
		for (int c = 0; c < channels; c++) {
			int base = m + c * perChannel;
			double mean = l[base + k], logScale = Math.max(l[base + m + k] + shift, -7.0);
			if (c == 1) mean += Math.tanh(l[m + 2 * m + k]) * values[0];
			if (c == 2) mean += Math.tanh(l[m + perChannel + 2 * m + k]) * values[0] + Math.tanh(l[m + 2 * perChannel + 2 * m + k]) * values[1];
			double u = open(channelDraws[c]);
			double x = mean + Math.exp(logScale) * (PlatformLog.log(u) - PlatformLog.log(1 - u));
			int level = (int) Math.floor((Math.min(Math.max(x, -1.0), 1.0) + 1.0) * half + 0.5);
			levels[c] = level;
			values[c] = level / half - 1.0;
		}
	}

	/** A uniform value moved into (1e-5, 1 - 1e-5), as the reference draws them, so no logarithm meets 0. */
	private static double open(double u) {
		return 1e-5 + (1.0 - 2e-5) * u;
	}
}
