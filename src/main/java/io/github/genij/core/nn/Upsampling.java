package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Up-sampling of {@code [N, C, H, W]} arrays by integer factors with PyTorch's {@code interpolate}
 * semantics: {@code nearest}, and {@code bilinear} with {@code align_corners=False} (PyTorch's default;
 * DJL's own bilinear resize ignores align_corners).
 */
public final class Upsampling {

	private Upsampling() {}

	/** Each pixel becomes a {@code factor x factor} block (one broadcast copy, not two repeats). */
	public static NDArray nearest(NDArray x, int factor) {
		checkFactor(factor);
		if (factor == 1) return x;
		long[] s = x.getShape().getShape();
		return x.reshape(s[0], s[1], s[2], 1, s[3], 1).broadcast(new Shape(s[0], s[1], s[2], factor, s[3], factor))
			.reshape(s[0], s[1], s[2] * factor, s[3] * factor);
	}

	/**
	 * PyTorch's {@code F.interpolate(x, size=(outH, outW), mode='bilinear', align_corners=False)} for any sizes (up or
	 * down, no anti-aliasing): output o samples input coordinate max(0, (o + 0.5) · in / out - 0.5) between its two
	 * neighbours (the last clamped). Separable, as two matrix products with the interpolation weights.
	 */
	public static NDArray resizeBilinear(NDArray x, int outH, int outW) {
		long h = x.getShape().get(2), w = x.getShape().get(3);
		if (h == outH && w == outW) return x;
		NDArray rows = weights(x, (int) h, outH), cols = weights(x, (int) w, outW); // [out, in]
		return rows.matMul(x).matMul(cols.transpose());
	}

	/** The [out, in] matrix of bilinear weights along one axis. */
	private static NDArray weights(NDArray like, int in, int out) {
		float[] m = new float[out * in];
		float scale = (float) in / out; // PyTorch's area_pixel_compute_scale, in float
		for (int o = 0; o < out; o++) {
			float src = Math.max(0f, scale * (o + 0.5f) - 0.5f);
			int i0 = Math.min((int) src, in - 1), i1 = Math.min(i0 + 1, in - 1);
			float lambda = src - i0;
			m[o * in + i0] += 1 - lambda;
			m[o * in + i1] += lambda;
		}
		return like.getManager().create(m, new ai.djl.ndarray.types.Shape(out, in)).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
	}

	/** Bilinear interpolation, separable: first along W, then along H. */
	public static NDArray bilinear(NDArray x, int factor) {
		checkFactor(factor);
		if (factor == 1) return x;
		return alongAxis(alongAxis(x, 3, factor), 2, factor);
	}

	/**
	 * With align_corners=False, output o samples input coordinate (o + 0.5) / f - 0.5. For o = f*i + j that
	 * is i + d_j with d_j = (j + 0.5) / f - 0.5, the same for every i: phase j mixes x[i] with x[i-1]
	 * (d_j &lt; 0) or x[i+1] (d_j &gt; 0). PyTorch clamps coordinates at the border, which padding the
	 * input by one replicated pixel reproduces. The phases are then interleaved.
	 */
	private static NDArray alongAxis(NDArray x, int axis, int factor) {
		long n = x.getShape().get(axis);
		NDArray padded = axis == 3 ? Padding.replicate(x, 1, 1, 0, 0) : Padding.replicate(x, 0, 0, 1, 1);
		NDArray previous = slice(padded, axis, 0, n), current = slice(padded, axis, 1, n + 1),
			next = slice(padded, axis, 2, n + 2);
		NDList phases = new NDList();
		for (int j = 0; j < factor; j++) {
			double d = (j + 0.5) / factor - 0.5;
			NDArray neighbour = d < 0 ? previous : next;
			double w = Math.abs(d);
			phases.add(w == 0 ? current : Scalars.times(current, (float) (1 - w)).add(Scalars.times(neighbour, (float) w)));
		}
		// stack the phases right after the axis, then merge (i, j) into one axis of length n * factor
		NDArray stacked = NDArrays.stack(phases, axis + 1);
		long[] s = x.getShape().getShape().clone();
		s[axis] = n * factor;
		return stacked.reshape(s);
	}

	private static NDArray slice(NDArray x, int axis, long from, long to) {
		return axis == 3 ? x.get(":, :, :, " + from + ":" + to) : x.get(":, :, " + from + ":" + to);
	}

	private static void checkFactor(int factor) {
		if (factor < 1) throw new IllegalArgumentException("up-sampling factor must be >= 1: " + factor);
	}
}
