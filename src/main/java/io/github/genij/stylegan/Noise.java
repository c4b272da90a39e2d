package io.github.genij.stylegan;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.random.NumpyRandom;

/**
 * The per-pixel noise a synthesis layer adds, as NVIDIA's {@code noise_mode}: {@code const} (the
 * layer's stored {@code noise_const}, what {@code generate.py} uses by default), {@code random} (fresh
 * N(0, 1) noise per image; here drawn from the image's seed, so a seed always gives the same image), or
 * {@code none}.
 */
final class Noise {

	enum Mode { CONST, RANDOM, NONE }

	final Mode mode;
	private final NumpyRandom random;

	private Noise(Mode mode, long seed) {
		this.mode = mode;
		this.random = mode == Mode.RANDOM ? new NumpyRandom(seed & 0xffffffffL) : null;
	}

	/** Noise for one image; {@code seed} matters for {@code random} only. */
	static Noise of(String mode, long seed) {
		try {
			return new Noise(Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT)), seed);
		}
		catch (IllegalArgumentException e) {
			throw new GenIJException("noise=" + mode + " is not allowed: use const, random or none.");
		}
	}

	/** A fresh N(0, 1) map of {@code size}² for the next layer, in {@code like}'s manager and device. */
	NDArray draw(NDArray like, int size) {
		float[] v = new float[size * size];
		for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
		return like.getManager().create(v, new Shape(size, size)).toDevice(like.getDevice(), false);
	}
}
