package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.random.NumpyRandom;

/**
 * What every ProGAN shares, whoever wrote the file: no mapping (its "w" is z, one input), no style space (truncation and
 * mixing refused) and no noise (random noise refused), each in one line naming the key.
 */
abstract class ProGanBase extends Module implements StyleGenerator {

	@Override
	public final int wDim() {
		return zDim();
	}

	@Override
	public final int numWs() {
		return 1;
	}

	@Override
	public final boolean hasStyleSpace() {
		return false;
	}

	@Override
	public final NDArray w(double[] z, int classIndex, NDManager m) {
		if (z.length != zDim()) throw new GenIJException("A latent z has " + z.length + " values; this model takes " + zDim() + ".");
		return m.create(NumpyRandom.toFloat32(z), new Shape(1, zDim())).toDevice(device(), false);
	}

	@Override
	public final NDArray ws(NDArray w, double psi, Integer cutoff) {
		if (psi != 1) throw new GenIJException("truncation=" + psi + " is for style-based generators; ProGAN has no style space to truncate in: leave truncation at 1.");
		return w.expandDims(1);
	}

	@Override
	public final Noise noise(String mode, long seed) {
		Noise n = StyleGenerator.super.noise(mode, seed);
		if (n.mode == Noise.Mode.RANDOM) throw new GenIJException("noise=" + mode + ": ProGAN adds no noise; leave noise at const or none.");
		return n;
	}
}
