package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.TransposedConv2d;

/**
 * The operations of NVIDIA's StyleGAN2 that are not plain layers, with the semantics of its reference
 * (non-CUDA) implementations: {@code bias_act}, {@code upfirdn2d} and the modulated convolution with its
 * up-sampling form from {@code conv2d_resample}. Inference takes one sample at a time ({@code [1, C, H, W]}): the
 * per-sample weights of a modulated convolution then need no grouped convolution; batches (training) take
 * NVIDIA's non-fused form.
 */
final class StyleOps {

	/** lrelu's slope and its gain, which keeps the activations' second moment (√2). */
	static final float SLOPE = 0.2f, LRELU_GAIN = (float) Math.sqrt(2);

	private StyleOps() {}

	/**
	 * {@link #biasAct} on a fresh array the caller gives up (a convolution's output), in inference: in place
	 * where DJL can, each replaced array freed at once. The 1024-px layers' arrays are 128 MB each.
	 */
	static NDArray biasActConsuming(NDArray x, NDArray bias, boolean lrelu, float gain, Float clamp) {
		if (bias != null) x.addi(x.getShape().dimension() == 4 ? bias.reshape(1, -1, 1, 1) : bias.reshape(1, -1));
		if (lrelu) x = replace(x, Activation.leakyRelu(x, SLOPE));
		if (gain != 1f) x.muli(gain);
		if (clamp != null) x = replace(x, x.clip(-clamp, clamp));
		return x;
	}

	private static NDArray replace(NDArray old, NDArray fresh) {
		old.close();
		return fresh;
	}

	/** {@code bias_act}: add the bias, then lrelu (when asked), then the gain, then clamp to ±clamp. */
	static NDArray biasAct(NDArray x, NDArray bias, boolean lrelu, float gain, Float clamp) {
		if (bias != null) x = x.add(x.getShape().dimension() == 4 ? bias.reshape(1, -1, 1, 1) : bias.reshape(1, -1));
		if (lrelu) x = ActivationPattern.lrelu(x);
		if (gain != 1f) x = Scalars.times(x, gain);
		if (clamp != null) x = x.clip(-clamp, clamp);
		return x;
	}

	/** Fills a {@code resample_filter} buffer (4x4) with {@link #resampleFilter()} when a generator is initialised. */
	static final io.github.genij.core.nn.module.Init FILTER = (v, shape, r) -> System.arraycopy(resampleFilter(), 0, v, 0, 16);

	/** {@code upfirdn2d.setup_filter([1, 3, 3, 1])}: the outer product, normalised to sum 1. */
	static float[] resampleFilter() {
		float[] taps = { 1, 3, 3, 1 }, f = new float[16];
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++) f[i * 4 + j] = taps[i] * taps[j] / 64f;
		return f;
	}

	/**
	 * {@code upfirdn2d} with up-sampling by {@code up} (1 or 2), zero padding (before, after) on both axes,
	 * and the FIR filter {@code f} ({@code [kh, kw]}) applied as a true convolution, times {@code gain}.
	 */
	static NDArray upfirdn(NDArray x, NDArray f, int up, int padBefore, int padAfter, float gain) {
		NDArray input = x;
		long n = x.getShape().get(0), c = x.getShape().get(1), h = x.getShape().get(2), w = x.getShape().get(3);
		if (up == 2) {
			// zero insertion: each sample followed by a zero along both axes
			NDArray cols = NDArrays.stack(new NDList(x, x.zerosLike()), 4).reshape(n, c, h, w * 2);
			x = NDArrays.stack(new NDList(cols, cols.zerosLike()), 3).reshape(n, c, h * 2, w * 2);
		}
		else if (up != 1) throw new IllegalArgumentException("up-sampling by " + up);
		NDArray inserted = x;
		x = x.pad(new Shape(padBefore, padAfter, padBefore, padAfter), 0);
		if (inserted != input) freeInInference(inserted); // the zero-inserted copy is ours to free
		float[][] separable = separable(f, gain);
		if (separable != null) {
			// a rank-one filter (NVIDIA's [1, 3, 3, 1] outer product) as two 1-D passes: half the work of one 2-D pass
			int taps = separable[0].length;
			NDArray rows = x.getManager().create(separable[0], new Shape(1, 1, taps, 1)).toType(x.getDataType(), false)
				.toDevice(x.getDevice(), false).repeat(0, c);
			NDArray cols = x.getManager().create(separable[1], new Shape(1, 1, 1, taps)).toType(x.getDataType(), false)
				.toDevice(x.getDevice(), false).repeat(0, c);
			NDArray once = depthwise(x, rows, c);
			if (x != input) freeInInference(x); // the padded copy; never the caller's own array
			NDArray twice = depthwise(once, cols, c);
			freeInInference(once);
			return twice;
		}
		NDArray kernel = Scalars.times(f.flip(0, 1), gain).reshape(1, 1, f.getShape().get(0), f.getShape().get(1))
			.repeat(0, c);
		return depthwise(x, kernel, c);
	}

	/**
	 * The flipped filter times {@code gain} as a column and a row whose outer product it is, or null when it
	 * is not rank one. (The filter is a small buffer: reading it costs nothing next to the image.)
	 */
	private static float[][] separable(NDArray f, float gain) {
		if (f.getShape().dimension() != 2) return null;
		int h = (int) f.getShape().get(0), w = (int) f.getShape().get(1);
		float[] v = f.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
		int pr = 0, pc = 0;
		for (int i = 0; i < v.length; i++)
			if (Math.abs(v[i]) > Math.abs(v[pr * w + pc])) {
				pr = i / w;
				pc = i % w;
			}
		float pivot = v[pr * w + pc];
		if (pivot == 0) return null;
		float[] col = new float[h], row = new float[w];
		for (int i = 0; i < h; i++) col[h - 1 - i] = v[i * w + pc] * gain; // flipped: a true convolution
		for (int j = 0; j < w; j++) row[w - 1 - j] = v[pr * w + j] / pivot;
		for (int i = 0; i < h; i++)
			for (int j = 0; j < w; j++)
				if (Math.abs(col[h - 1 - i] * row[w - 1 - j] - v[i * w + j] * gain) > 1e-6f * Math.abs(pivot * gain)) return null;
		return new float[][] { col, row };
	}

	private static NDArray depthwise(NDArray x, NDArray kernel, long channels) {
		return Convolutions.conv2d(x, kernel, null, new Shape(1, 1), new Shape(0, 0), (int) channels);
	}

	/**
	 * {@code modulated_conv2d} for one sample: the weight scaled per input channel by {@code styles}
	 * ({@code [1, in]}), demodulated per output channel when asked, then a 'same' convolution, or (up 2) a
	 * transposed convolution of stride 2 followed by the FIR filter, as {@code conv2d_resample} does.
	 */
	static NDArray modulatedConv(NDArray x, NDArray weight, NDArray styles, boolean demodulate, int up, NDArray filter) {
		long out = weight.getShape().get(0), in = weight.getShape().get(1), k = weight.getShape().get(2);
		if (x.getShape().get(0) != 1) return modulatedConvBatch(x, weight, styles, demodulate, up, filter);
		NDArray w = weight.mul(styles.reshape(1, in, 1, 1));
		if (demodulate) {
			NDArray d = w.square().sum(new int[] { 1, 2, 3 }).add(Scalars.of(w, 1e-8f)).sqrt();
			w = w.div(d.reshape(out, 1, 1, 1));
		}
		return convResample(x, w, up, filter);
	}

	/**
	 * {@code modulated_conv2d} for a batch ({@code x [N, in, H, W]}, {@code styles [N, in]}) in NVIDIA's non-fused
	 * form, the one its training uses: the input scaled by the styles, one convolution with the shared weight,
	 * the output scaled by each sample's demodulation coefficients. The same function as the fused form.
	 */
	static NDArray modulatedConvBatch(NDArray x, NDArray weight, NDArray styles, boolean demodulate, int up, NDArray filter) {
		long n = x.getShape().get(0), out = weight.getShape().get(0), in = weight.getShape().get(1);
		NDArray y = convResample(x.mul(styles.reshape(n, in, 1, 1)), weight, up, filter);
		if (!demodulate) return y;
		// dcoefs[n, o] = 1 / sqrt(sum over i, kernel of (weight[o, i] styles[n, i])² + 1e-8)
		NDArray perInput = weight.square().sum(new int[] { 2, 3 }); // [out, in]
		NDArray d = styles.square().matMul(perInput.transpose()).add(Scalars.of(y, 1e-8f)).sqrt(); // [N, out]
		return y.div(d.reshape(n, out, 1, 1));
	}

	/** {@code conv2d_resample}: a 'same' convolution, or (up 2) a transposed convolution of stride 2 then the FIR filter. */
	private static NDArray convResample(NDArray x, NDArray w, int up, NDArray filter) {
		long k = w.getShape().get(2);
		int padding = (int) (k / 2);
		if (up == 1) {
			return Convolutions.conv2d(x, w, null, 1, padding);
		}
		// conv2d_resample(up=2): transposed convolution ([in, out, k, k], unflipped), then the filter with
		// the padding left over: (p + (taps + 1) / 2 - (k - 1), p + (taps - 2) / 2 - (k - 2)) = (1, 1) for k 3
		NDArray y = TransposedConv2d.apply(x, w.transpose(1, 0, 2, 3), null, 2, 0, 0);
		long taps = filter.getShape().get(0);
		int before = (int) (padding + (taps + 1) / 2 - (k - 1)), after = (int) (padding + (taps - 2) / 2 - (k - 2));
		NDArray filtered = upfirdn(y, filter, 1, before, after, 4f);
		freeInInference(y);
		return filtered;
	}

	/**
	 * Frees an intermediate array at once when no autograd graph is being recorded (the 1024-px layers' are
	 * 128 MB each); with a graph, backward still needs it and its manager frees it.
	 */
	static void freeInInference(NDArray x) {
		if (!ai.djl.pytorch.jni.JniUtils.isGradMode()) x.close();
	}

	/** {@code upfirdn2d.upsample2d(x, f)}: twice the size, (taps + 1) / 2 and (taps - 2) / 2 padding, gain 4. */
	static NDArray upsample2(NDArray x, NDArray filter) {
		long taps = filter.getShape().get(0);
		return upfirdn(x, filter, 2, (int) ((taps + 1) / 2), (int) ((taps - 2) / 2), 4f);
	}
}
