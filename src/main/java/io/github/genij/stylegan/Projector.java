package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.nn.module.Slot;

/**
 * NVIDIA's projector ({@code projector.py}): the w that makes a generator draw a given image. Adam on one w
 * (started at the mean of 10,000 mapped z from {@code RandomState(123)}) and on every layer's constant noise,
 * learning rate 0.1 with a cosine ramp down over the last quarter and a ramp up over the first 5 %, w
 * jittered by a noise that fades over the first three quarters, the noise maps kept white by a penalty on
 * their neighbour correlations at every scale (× {@code noiseWeight}) and renormalised after each step.
 * <p>
 * The distance is NVIDIA's LPIPS distance when their {@code vgg16.pt} is given (a TorchScript file, run by the same
 * libtorch with gradients to its input); without it, the mean squared difference of the images in the generator's
 * -1..1 values. Random draws (initial noise maps, w jitter) come from {@code RandomState(seed)} in that order, where
 * NVIDIA's use torch's generator.
 */
public final class Projector {

	/** NVIDIA's defaults. */
	public static final float LR = 0.1f, NOISE_FACTOR = 0.05f, RAMP_DOWN = 0.25f, RAMP_UP = 0.05f, NOISE_RAMP = 0.75f;

	/** Hears each step's losses (on the projecting thread). */
	public interface Listener {
		void step(int step, double distance, double loss);
	}

	private Projector() {}

	/**
	 * @param target {@code [1, C, R, R]} in the generator's values (-1..1)
	 * @return the projected w, {@code [wDim]}, as floats
	 */
	public static float[] project(StyleGan2 g, NDArray target, int steps, long seed, float noiseWeight, Listener listener,
		Progress progress, NDManager parent)
	{
		return project(g, target, null, steps, seed, noiseWeight, listener, progress, parent);
	}

	/**
	 * The same with {@code features} (NVIDIA's LPIPS network, {@link LpipsFeatures} loaded differentiable) as the
	 * distance, as NVIDIA's projector measures it: both images in 0..255, box-filtered to 256 above that, grey
	 * repeated to RGB, the squared difference of their features summed. Null: the mean squared pixel difference.
	 */
	public static float[] project(StyleGan2 g, NDArray target, ImageFeatures features, int steps, long seed, float noiseWeight, Listener listener,
		Progress progress, NDManager parent)
	{
		try (NDManager m = parent.newSubManager()) {
			NDArray wAvg;
			float wStd;
			try (NoGrad ng = NoGrad.enter(); NDManager tmp = m.newSubManager()) {
				float[] zf = NumpyRandom.randnFloat32(StyleGanModels.ESTIMATE_SEED, StyleGanModels.ESTIMATE_SAMPLES * g.arch.zDim);
				NDArray w = g.mapping.forward(tmp.create(zf, new Shape(StyleGanModels.ESTIMATE_SAMPLES, g.arch.zDim))
					.toDevice(target.getDevice(), false), null);
				NDArray mean = w.sum(new int[] { 0 }, true).div(StyleGanModels.ESTIMATE_SAMPLES);
				wStd = (float) Math.sqrt(w.sub(mean).square().sum().getFloat() / StyleGanModels.ESTIMATE_SAMPLES);
				wAvg = mean.duplicate();
				wAvg.attach(m);
			}
			NumpyRandom random = new NumpyRandom(seed);
			Map<String, NDArray> params = new LinkedHashMap<>();
			// NVIDIA projects on a copy of G: the model's own noise maps are restored at the end
			Map<NDArray, NDArray> originals = new LinkedHashMap<>();
			NDArray wOpt = wAvg; // [1, wDim]
			wOpt.setRequiresGradient(true);
			params.put("w", wOpt);
			List<NDArray> noise = new ArrayList<>();
			for (Map.Entry<String, Slot> e : g.slots().entrySet()) {
				if (!e.getKey().endsWith(".noise_const")) continue;
				NDArray buf = e.getValue().value();
				NDArray copy = buf.duplicate();
				copy.attach(m);
				originals.put(buf, copy);
				try (NoGrad ng = NoGrad.enter()) {
					buf.subi(buf).addi(draw(random, buf.getShape(), m).toDevice(buf.getDevice(), false));
				}
				buf.setRequiresGradient(true);
				params.put(e.getKey(), buf);
				noise.add(buf);
			}
			Distance distance = distance(target, features, m);
			try (Adam adam = new Adam(params, 0.9f, 0.999f, 1e-8f, m)) {
				loop(g, distance, steps, noiseWeight, listener, progress, m, random, wOpt, wStd, noise, adam);
			}
			finally {
				try (NoGrad ng = NoGrad.enter()) {
					originals.forEach((buf, copy) -> {
						buf.setRequiresGradient(false);
						buf.subi(buf).addi(copy);
					});
				}
			}
			float[] out = wOpt.toFloatArray();
			wOpt.setRequiresGradient(false);
			return out;
		}
	}

	/** The distance of a synthesised image to the target. */
	private interface Distance {
		NDArray to(NDArray image);
	}

	private static Distance distance(NDArray target, ImageFeatures features, NDManager m) {
		if (features == null) return image -> image.sub(target).square().mean();
		NDArray targetFeatures;
		try (NoGrad ng = NoGrad.enter(); NDManager tmp = m.newSubManager()) {
			targetFeatures = features.features(PathLength.prepare(view(target, tmp), false)).duplicate();
			targetFeatures.attach(m);
		}
		return image -> view(targetFeatures, image.getManager()).sub(features.features(PathLength.prepare(image, false))).square().sum();
	}

	private static void loop(StyleGan2 g, Distance distance, int steps, float noiseWeight, Listener listener, Progress progress,
		NDManager m, NumpyRandom random, NDArray wOpt, float wStd, List<NDArray> noise, Adam adam)
	{
		for (int step = 0; step < steps; step++) {
			progress.checkCancelled();
			double t = step / (double) steps;
			float wNoiseScale = (float) (wStd * NOISE_FACTOR * Math.pow(Math.max(0, 1 - t / NOISE_RAMP), 2));
			double ramp = Math.min(1, (1 - t) / RAMP_DOWN);
			ramp = (0.5 - 0.5 * Math.cos(ramp * Math.PI)) * Math.min(1, t / RAMP_UP);
			float lr = (float) (LR * ramp);
			try (NDManager s = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				// views in the step's manager: DJL puts an op's result in its first operand's manager, and the
				// long-lived w and noise maps would otherwise keep every step's activations
				NDArray wNoise = Scalars.times(draw(random, new Shape(1, g.arch.wDim), s).toDevice(wOpt.getDevice(), false), wNoiseScale);
				NDArray ws = view(wOpt, s).add(wNoise).expandDims(1).repeat(1, g.numWs());
				NDArray image = g.synthesise(ws, Noise.of("const", 0));
				NDArray dist = distance.to(image);
				NDArray reg = null;
				for (NDArray v : noise) {
					NDArray r = regularisation(view(v, s).expandDims(0).expandDims(0));
					reg = reg == null ? r : reg.add(r);
				}
				NDArray loss = dist.add(Scalars.times(reg, noiseWeight));
				gc.backward(loss);
				listener.step(step, dist.getFloat(), loss.getFloat());
			}
			adam.step(lr);
			try (NoGrad ng = NoGrad.enter()) {
				for (NDArray v : noise) {
					try (NDManager s = m.newSubManager()) {
						v.subi(view(v, s).mean());
						v.divi(view(v, s).square().mean().sqrt());
					}
				}
			}
			progress.progress(step + 1, steps);
		}
	}

	/** {@code x} seen from {@code m}: what is computed from it lives (and is freed) there; gradients still reach x. */
	private static NDArray view(NDArray x, NDManager m) {
		NDArray v = x.reshape(x.getShape());
		v.attach(m);
		return v;
	}

	/** The mean neighbour correlation squared, horizontally and vertically, at every scale down to 8 px. */
	private static NDArray regularisation(NDArray noise) {
		NDArray reg = null;
		while (true) {
			NDArray r = noise.mul(roll(noise, 3)).mean().square().add(noise.mul(roll(noise, 2)).mean().square());
			reg = reg == null ? r : reg.add(r);
			if (noise.getShape().get(2) <= 8) break;
			noise = Pool.avgPool2d(noise, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
		}
		return reg;
	}

	/** {@code torch.roll(x, shifts=1, dims=axis)}. */
	private static NDArray roll(NDArray x, int axis) {
		long n = x.getShape().get(axis);
		String last = axis == 3 ? ":, :, :, " + (n - 1) + ":" : ":, :, " + (n - 1) + ":, :";
		String rest = axis == 3 ? ":, :, :, 0:" + (n - 1) : ":, :, 0:" + (n - 1) + ", :";
		return NDArrays.concat(new NDList(x.get(last), x.get(rest)), axis);
	}

	private static NDArray draw(NumpyRandom random, Shape shape, NDManager m) {
		float[] v = new float[(int) shape.size()];
		for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
		return m.create(v, shape);
	}
}
