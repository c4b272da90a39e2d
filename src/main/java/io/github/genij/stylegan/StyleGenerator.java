package io.github.genij.stylegan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What Sample, Style Mixing and Interpolate need of a generator, whichever generation made it: a latent z to w, w to
 * the per-layer styles (truncated), the styles (and noise) to an image. StyleGAN2 ({@link StyleGan2}), the first
 * StyleGAN ({@link StyleGanV1}) and ProGAN ({@link ProGan}, whose "styles" are z itself) answer alike.
 */
public interface StyleGenerator extends AutoCloseable {

	/** For logs: the generation, resolution and shape. */
	String describe();

	int zDim();

	/** Values per style vector ({@code [1, numWs, wDim]}). */
	int wDim();

	/** Style vectors per image: one per synthesis layer (StyleGAN2), per block (rosinality's v1), 1 for ProGAN. */
	int numWs();

	int imageChannels();

	/** The side of the images made (at the resolution chosen for a progressive model). */
	int resolution();

	/** Whether styles can be mixed and truncated; ProGAN has no style space. */
	default boolean hasStyleSpace() {
		return true;
	}

	/** w ({@code [1, wDim]}) for one z and class (ignored when unconditional). */
	NDArray w(double[] z, int classIndex, NDManager m);

	/** w for every style input ({@code [1, numWs, wDim]}), truncated by {@code psi} for the first {@code cutoff} of them (all when null). */
	NDArray ws(NDArray w, double psi, Integer cutoff);

	/** Noise of {@code mode} (const, random, seeded, none) for the image of {@code seed}. */
	default Noise noise(String mode, long seed) {
		return "seeded".equals(mode.trim()) ? Noise.seeded(seed, zDim()) : Noise.of(mode, seed);
	}

	/** The image {@code [1, C, R, R]} (about -1..1) for {@code ws}. */
	NDArray synthesise(NDArray ws, Noise noise);

	/** Where the weights are. */
	Device device();

	@Override
	void close();
}
