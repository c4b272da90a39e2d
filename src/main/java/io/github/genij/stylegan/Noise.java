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
	/** The maps drawn so far, kept for {@link #again} (PPL's pairs of images share their noise); null: not kept. */
	private final java.util.List<float[]> kept;
	private int replayed = -1;
	/** One map per sample of a batch (training) rather than one map for the image. */
	private boolean perSample;

	private Noise(Mode mode, long seed) {
		this(mode, mode == Mode.RANDOM ? new NumpyRandom(seed & 0xffffffffL) : null);
	}

	private Noise(Mode mode, NumpyRandom random) {
		this(mode, random, null);
	}

	private Noise(Mode mode, NumpyRandom random, java.util.List<float[]> kept) {
		this.mode = mode;
		this.random = random;
		this.kept = kept;
	}

	/**
	 * Random noise drawn from {@code random} where it stands, one map per layer in synthesis order, kept so that
	 * {@link #again} gives another image the same maps (PPL's draws).
	 */
	static Noise drawnFrom(NumpyRandom random) {
		return new Noise(Mode.RANDOM, random, new java.util.ArrayList<>());
	}

	/** Fresh maps for every sample of a batch and every layer, drawn from {@code random} (training). */
	static Noise perSample(NumpyRandom random) {
		Noise n = new Noise(Mode.RANDOM, random, new java.util.ArrayList<>());
		n.perSample = true;
		return n;
	}

	/** The maps drawn so far, in layer order (for tests that hand them to the oracle). */
	java.util.List<float[]> maps() {
		return java.util.Collections.unmodifiableList(kept);
	}

	/** The same maps again, layer by layer, for another synthesis (only for noise from {@link #drawnFrom}). */
	Noise again() {
		if (kept == null) throw new IllegalStateException("this noise keeps no maps");
		Noise n = new Noise(Mode.RANDOM, null, kept);
		n.replayed = 0;
		n.perSample = perSample;
		return n;
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
		float[] v;
		int n = perSample ? (int) like.getShape().get(0) : 1;
		if (replayed >= 0) v = kept.get(replayed++);
		else {
			v = new float[n * size * size];
			for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
			if (kept != null) kept.add(v);
		}
		Shape shape = perSample ? new Shape(n, 1, size, size) : new Shape(size, size);
		return like.getManager().create(v, shape).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
	}
}
