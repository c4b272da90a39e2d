package io.github.genij.stylegan;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * Perceptual path length (Karras et al. 2019) as NVIDIA's {@code metrics/perceptual_path_length.py} computes it:
 * for each sample, two latents z0 and z1 and a position t (uniform for {@code full} sampling, 0 for {@code end}),
 * the images at t and t + epsilon (epsilon 1e-4) along the path, by spherical interpolation of z ({@code z} space)
 * or linear interpolation of the mapped w ({@code w}), with the same random noise for both; optionally NVIDIA's
 * face crop; images above 256 box-filtered down to 256; the distance of their features over epsilon squared; the
 * metric is the mean of the distances between their 1st (lower) and 99th (higher) percentiles.
 * <p>
 * Random draws come from numpy's {@code RandomState(seed)} where NVIDIA's come from torch's generator, per sample
 * in this order: t's uniform value (drawn for {@code end} too), z0's and z1's normal values, then one normal map
 * per synthesis layer in synthesis order. Truncation is off, as in NVIDIA's metric.
 */
public final class PathLength {

	public static final double EPSILON = 1e-4;

	public enum Space {
		Z, W
	}

	private PathLength() {}

	/** Each sample's distance / epsilon²; {@code classIndex} for a conditional model (ignored otherwise). */
	static double[] distances(StyleGan2 g, int samples, Space space, boolean full, boolean crop, ImageFeatures features, int classIndex, long seed,
		NDManager manager, Progress progress)
	{
		if (samples < 1) throw new GenIJException("samples=" + samples + ": give at least 1.");
		NumpyRandom random = new NumpyRandom(seed);
		double[] out = new double[samples];
		int zDim = g.arch.zDim;
		for (int k = 0; k < samples; k++) {
			progress.checkCancelled();
			double u = random.nextDouble(), t = full ? u : 0;
			double[] z0 = new double[zDim], z1 = new double[zDim];
			for (int i = 0; i < zDim; i++) z0[i] = random.nextGaussian();
			for (int i = 0; i < zDim; i++) z1[i] = random.nextGaussian();
			try (NDManager m = manager.newSubManager()) {
				NDArray w; // [2, wDim]: at t and at t + epsilon
				if (space == Space.Z) w = map(g, m, classIndex, slerp(z0, z1, t), slerp(z0, z1, t + EPSILON));
				else {
					NDArray ends = map(g, m, classIndex, z0, z1);
					NDArray w0 = ends.get("0:1"), w1 = ends.get("1:2");
					w = NDArrays.concat(new NDList(lerp(w0, w1, t), lerp(w0, w1, t + EPSILON)), 0);
				}
				NDArray ws = w.expandDims(1).repeat(1, g.numWs());
				Noise noise = Noise.drawnFrom(random); // one noise for both images (the synthesis takes one image at a time)
				NDArray img = NDArrays.concat(new NDList(g.synthesise(ws.get("0:1"), noise), g.synthesise(ws.get("1:2"), noise.again())), 0);
				NDArray f = features.features(prepare(img, crop));
				NDArray d = f.get("0:1").sub(f.get("1:2")).square().sum();
				out[k] = d.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble() / (EPSILON * EPSILON);
			}
			progress.progress(k + 1, samples);
		}
		return out;
	}

	/** The images as the metric feeds them to the features: cropped, at most 256, 0..255, three channels. */
	static NDArray prepare(NDArray img, boolean crop) {
		long r = img.getShape().get(2);
		if (crop) {
			if (img.getShape().get(3) != r) throw new GenIJException("The face crop needs square images.");
			long c = r / 8;
			img = img.get(":, :, " + 3 * c + ":" + 7 * c + ", " + 2 * c + ":" + 6 * c);
		}
		long h = img.getShape().get(2), wd = img.getShape().get(3);
		long factor = Math.max(1, r / 256); // NVIDIA's img_resolution // 256, after the crop too
		if (factor > 1) {
			Shape s = img.getShape();
			// a box filter (DJL's mean takes one axis at a time)
			img = io.github.genij.core.nn.Scalars.over(img.reshape(s.get(0), s.get(1), h / factor, factor, wd / factor, factor)
				.sum(new int[] { 3, 5 }), factor * factor);
		}
		img = img.add(1f).mul(255f / 2f);
		if (img.getShape().get(1) == 1) img = img.repeat(1, 3);
		return img;
	}

	/** NVIDIA's PPL: the mean of the distances between the 1st percentile (rounded down) and the 99th (rounded up). */
	public static double of(double[] distances) {
		double[] d = distances.clone();
		Arrays.sort(d);
		int n = d.length;
		double lo = d[(int) Math.floor((n - 1) * 0.01)], hi = d[(int) Math.ceil((n - 1) * 0.99)];
		double sum = 0;
		int count = 0;
		for (double v : distances) {
			if (v >= lo && v <= hi) {
				sum += v;
				count++;
			}
		}
		return sum / count;
	}

	/** Spherical interpolation of two latents, in float64, as NVIDIA's {@code slerp}. */
	static double[] slerp(double[] a, double[] b, double t) {
		double[] an = unit(a), bn = unit(b);
		double d = 0;
		for (int i = 0; i < a.length; i++) d += an[i] * bn[i];
		double p = t * Math.acos(d);
		double[] c = new double[a.length];
		for (int i = 0; i < a.length; i++) c[i] = bn[i] - d * an[i];
		c = unit(c);
		double[] out = new double[a.length];
		for (int i = 0; i < a.length; i++) out[i] = an[i] * Math.cos(p) + c[i] * Math.sin(p);
		return unit(out);
	}

	private static double[] unit(double[] v) {
		double n = 0;
		for (double x : v) n += x * x;
		n = Math.sqrt(n);
		double[] out = new double[v.length];
		for (int i = 0; i < v.length; i++) out[i] = v[i] / n;
		return out;
	}

	/** torch.lerp: {@code a + t (b - a)} for t below 0.5, {@code b - (1 - t)(b - a)} from 0.5 (its two branches). */
	static NDArray lerp(NDArray a, NDArray b, double t) {
		NDArray diff = b.sub(a);
		float weight = (float) t;
		return weight < 0.5f ? a.add(diff.mul(weight)) : b.sub(diff.mul(1f - weight));
	}

	/** w {@code [2, wDim]} for two latents (float32, as the metric's torch tensors). */
	private static NDArray map(StyleGan2 g, NDManager m, int classIndex, double[] z0, double[] z1) {
		float[] z = new float[2 * z0.length];
		for (int i = 0; i < z0.length; i++) {
			z[i] = (float) z0[i];
			z[z0.length + i] = (float) z1[i];
		}
		NDArray zt = m.create(z, new Shape(2, z0.length)).toDevice(g.device(), false);
		NDArray c = null;
		if (g.arch.cDim > 0) {
			if (classIndex < 0 || classIndex >= g.arch.cDim)
				throw new GenIJException("classindex=" + classIndex + " is not one of this model's classes: give 0 to " + (g.arch.cDim - 1) + ".");
			float[] onehot = new float[2 * g.arch.cDim];
			onehot[classIndex] = onehot[g.arch.cDim + classIndex] = 1;
			c = m.create(onehot, new Shape(2, g.arch.cDim)).toDevice(g.device(), false);
		}
		return g.mapping.forward(zt, c);
	}
}
