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
 * {@code none}; and {@code seeded}, what NVIDIA's TensorFlow-era {@code run_generator.py} does: every layer's noise
 * drawn from the seed's own {@code RandomState} right after z, in layer order.
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
	/** The maps came from a file: their count and sizes are the user's to get right. */
	private boolean givenMaps;

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

	/**
	 * NVIDIA's TensorFlow-era seeds: {@code rnd = RandomState(seed); z = rnd.randn(1, zDim)}, then each noise variable in
	 * layer order {@code rnd.randn(1, 1, r, r)} (run_generator.py's {@code set_vars}).
	 */
	static Noise seeded(long seed, int zDim) {
		NumpyRandom random = new NumpyRandom(seed & 0xffffffffL);
		for (int i = 0; i < zDim; i++) random.nextGaussian(); // z came first
		return new Noise(Mode.RANDOM, random, new java.util.ArrayList<>());
	}

	/**
	 * Given maps, one per noise layer in layer order (a {@code noisefile}), each checked against the size the layer
	 * asks for.
	 */
	static Noise given(java.util.List<float[]> maps) {
		Noise n = new Noise(Mode.RANDOM, null, new java.util.ArrayList<>(maps));
		n.replayed = 0;
		n.givenMaps = true;
		return n;
	}

	/** Given maps no layer took (a noisefile with more arrays than the model has noise layers), after a synthesis. */
	int unused() {
		return givenMaps ? kept.size() - replayed : 0;
	}

	/** Noise for one image; {@code seed} matters for {@code random} only ({@code seeded}: see {@link #seeded}). */
	static Noise of(String mode, long seed) {
		try {
			return new Noise(Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT)), seed);
		}
		catch (IllegalArgumentException e) {
			throw new GenIJException("noise=" + mode + " is not allowed: use const, random, seeded or none.");
		}
	}

	/** A fresh N(0, 1) map of {@code size}² for the next layer, in {@code like}'s manager and device. */
	NDArray draw(NDArray like, int size) {
		float[] v;
		int n = perSample ? (int) like.getShape().get(0) : 1;
		if (replayed >= 0) {
			if (givenMaps && replayed >= kept.size()) {
				throw new GenIJException("noisefile holds " + kept.size() + " arrays but this model has more noise layers: give one array per " +
					"layer, in layer order.");
			}
			v = kept.get(replayed++);
			if (givenMaps && v.length != size * size) {
				throw new GenIJException("noisefile: array " + (replayed - 1) + " has " + v.length + " values but noise layer " + (replayed - 1) +
					" is " + size + "x" + size + ": give one array per layer, in layer order.");
			}
		}
		else {
			v = new float[n * size * size];
			for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
			if (kept != null) kept.add(v);
		}
		Shape shape = perSample ? new Shape(n, 1, size, size) : new Shape(size, size);
		return like.getManager().create(v, shape).toType(like.getDataType(), false).toDevice(like.getDevice(), false);
	}
}
