package io.github.genij.stylegan;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.WeightTensor;

/**
 * NVIDIA's StyleGAN2(-ADA) {@code Generator}, declared as its state dict is keyed ({@code synthesis.b64.conv0.affine.weight},
 * {@code mapping.fc3.bias}, {@code mapping.w_avg}, ...): z → {@link MappingNetwork} → w, broadcast to
 * the synthesis network's w's (truncated towards {@code w_avg} if asked) → {@link SynthesisNetwork} → an
 * image of about -1..1.
 */
public final class StyleGan2 extends Module implements StyleGenerator {

	public final StyleGanArch arch;
	final SynthesisNetwork synthesis;
	final MappingNetwork mapping;

	public StyleGan2(StyleGanArch arch) {
		this.arch = arch;
		synthesis = add("synthesis", new SynthesisNetwork(arch));
		mapping = add("mapping", new MappingNetwork(arch.zDim, arch.cDim, arch.wDim, arch.mappingLayers, arch.lrMultiplier));
	}

	/** The generator with NVIDIA-layout weights {@code sd}, in inference mode. */
	static StyleGan2 load(Map<String, WeightTensor> sd, Float convClamp, NDManager manager) {
		StyleGan2 g = new StyleGan2(StyleGanArch.fromStateDict(sd, convClamp));
		return Module.loaded(g, sd, manager, "The StyleGAN2 generator");
	}

	@Override
	public int numWs() {
		return synthesis.numWs;
	}

	@Override
	public String describe() {
		return arch.toString();
	}

	@Override
	public int zDim() {
		return arch.zDim;
	}

	@Override
	public int wDim() {
		return arch.wDim;
	}

	@Override
	public int imageChannels() {
		return arch.imageChannels;
	}

	@Override
	public int resolution() {
		return arch.resolution;
	}

	/** w ({@code [1, wDim]}) for one z ({@code zDim} values, e.g. from a seed) and class (ignored when unconditional). */
	@Override
	public NDArray w(double[] z, int classIndex, NDManager m) {
		if (z.length != arch.zDim) throw new GenIJException("A latent z has " + z.length + " values; this model takes " + arch.zDim + ".");
		// numpy's float64, cast as generate.py does
		NDArray zt = m.create(NumpyRandom.toFloat32(z), new Shape(1, arch.zDim)).toDevice(device(), false);
		NDArray c = null;
		if (arch.cDim > 0) {
			if (classIndex < 0 || classIndex >= arch.cDim) {
				throw new GenIJException("classindex=" + classIndex + " is not one of this model's classes: give 0 to " + (arch.cDim - 1) + ".");
			}
			float[] onehot = new float[arch.cDim];
			onehot[classIndex] = 1;
			c = m.create(onehot, new Shape(1, arch.cDim)).toDevice(device(), false);
		}
		return mapping.forward(zt, c);
	}

	/**
	 * The mean w of {@code samples} z rows drawn as {@code RandomState(seed).randn(samples, zDim)} (NVIDIA's
	 * projector starts from this), unconditional models only; {@code [wDim]}.
	 */
	public NDArray meanW(int samples, long seed, NDManager m) {
		if (arch.cDim > 0) throw new GenIJException("The average w of a class-conditional model is not estimated here.");
		float[] zf = NumpyRandom.randnFloat32(seed, samples * arch.zDim);
		NDArray w = mapping.forward(m.create(zf, new Shape(samples, arch.zDim)).toDevice(device(), false), null);
		return w.sum(new int[] { 0 }).div(samples);
	}

	/**
	 * w broadcast to every synthesis input ({@code [1, numWs, wDim]}), truncated towards the average:
	 * {@code w_avg + psi (w - w_avg)} for the first {@code cutoff} w's (all when cutoff is null or larger).
	 */
	@Override
	public NDArray ws(NDArray w, double psi, Integer cutoff) {
		return Truncation.apply(w, numWs(), mapping.wAvg.local(w), psi, cutoff);
	}


	/**
	 * The image {@code [1, C, R, R]} for one z (a seed's is {@code NumpyRandom.randn(seed, zDim)}), truncated
	 * by {@code psi} for the first {@code cutoff} w's, with noise {@code const}, {@code random} (drawn from
	 * {@code seed}) or {@code none}: the task API the commands share.
	 */
	public NDArray generate(double[] z, int classIndex, double psi, Integer cutoff, String noise, long seed, NDManager m) {
		return synthesise(ws(w(z, classIndex, m), psi, cutoff), Noise.of(noise, seed));
	}

	/** The image {@code [1, C, R, R]} for {@code ws}. */
	@Override
	public NDArray synthesise(NDArray ws, Noise noise) {
		return synthesis.forward(ws, noise);
	}

	@Override
	public ai.djl.Device device() {
		return mapping.wAvg.value().getDevice();
	}
}
