package io.github.genij.stylegan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Trains a StyleGAN2 as rosinality's {@code train.py} does (the recipe of the StyleGAN2 paper): non-saturating
 * logistic losses, R1 on real images every {@code dRegEvery} steps and path-length regularisation every
 * {@code gRegEvery} steps (lazy regularisation, with Adam's learning rate and betas scaled by every/(every + 1)),
 * style mixing with probability 0.9, fresh per-layer noise, and an exponential moving average of the generator
 * (half-life {@code emaImages} images, ramped up over the first images as NVIDIA does) which is the model kept.
 * The generator is GenIJ's {@link StyleGan2} ('skip', NVIDIA's keys), the discriminator rosinality's
 * ({@link Discriminator}); the mapping network tracks the average w as NVIDIA's does (β 0.995), for truncation.
 * <p>
 * Every random draw of step i comes from a {@link NumpyRandom} seeded by (seed, i), so a run continued from a
 * checkpoint draws what an uninterrupted one would have. A checkpoint is written at every tick, every few minutes
 * and when cancelled.
 */
public final class StyleGanTrainer {

	/** What to train. */
	public static final class Settings {
		public int resolution, channels = 1;
		/** z and w (rosinality's style_dim), mapping depth, and NVIDIA's widths: min(channelBase / res, channelMax). */
		public int latent = 128, mappingLayers = 8, channelBase = 2048, channelMax = 128;
		public int batch = 16, steps = 10000, tick = 250;
		public float lr = 0.002f;
		/** R1's γ; NaN: NVIDIA's automatic 0.0002 · resolution² / batch. */
		public double r1 = Double.NaN;
		public double pathLengthWeight = 2, pathDecay = 0.01, mixing = 0.9, emaImages = 10_000, emaRampup = 0.05;
		public int dRegEvery = 16, gRegEvery = 4, pathBatchShrink = 2;
		public long seed = 1;

		void check() {
			if (resolution < 8 || Integer.bitCount(resolution) != 1) throw new GenIJException("resolution=" + resolution + ": a StyleGAN2 trains at a power of 2 from 8 (8, 16, 32, ...).");
			if (channels != 1 && channels != 3) throw new GenIJException("StyleGAN2 trains on grey or RGB images, not " + channels + " channels.");
			if (batch < 2 || batch % Math.min(batch, Discriminator.STDDEV_GROUP) != 0)
				throw new GenIJException("batchsize=" + batch + ": give 2 or more, a multiple of 4 from 4 (the discriminator compares groups of 4).");
			if (steps < 1 || tick < 1 || latent < 1 || mappingLayers < 1 || channelBase < 1 || channelMax < 1)
				throw new GenIJException("steps, tick, latent size, mapping layers and channel widths must each be at least 1.");
		}

		public double r1Gamma() {
			return Double.isNaN(r1) ? 0.0002 * resolution * resolution / batch : r1;
		}

		/** The generator's shape (the discriminator mirrors its widths). */
		public StyleGanArch arch() {
			Map<Integer, Integer> ch = new TreeMap<>();
			for (int r = 4; r <= resolution; r *= 2) ch.put(r, Math.min(channelBase / r, channelMax));
			return new StyleGanArch(latent, 0, latent, resolution, channels, mappingLayers, ch, StyleGanArch.Architecture.SKIP, null, 0.01f);
		}

		/** The settings a checkpoint must share to be continued (the step count may grow). */
		String identity() {
			return String.format(Locale.ROOT, "stylegan2 %dx%d channels=%d latent=%d mapping=%d base=%d max=%d batch=%d lr=%s r1=%s pl=%s " +
				"mixing=%s ema=%s/%s reg=%d/%d shrink=%d seed=%d", resolution, resolution, channels, latent, mappingLayers, channelBase, channelMax,
				batch, lr, r1Gamma(), pathLengthWeight, mixing, emaImages, emaRampup, dRegEvery, gRegEvery, pathBatchShrink, seed);
		}
	}

	/** The mean losses of one tick. */
	public static final class TickReport {
		public int step;
		public double dLoss, gLoss, r1, pathPenalty, pathLength;
		public long images;
	}

	/** Hears about training as it goes (on the training thread). */
	public interface Listener {
		default void step(int step, int steps, double dLoss, double gLoss) {}

		/** After every tick, with the averaged generator (inference mode; do not keep it). */
		default void tick(TickReport report, StyleGan2 ema) {}
	}

	/** The trained networks: the averaged generator (the model), the generator and the discriminator. */
	public static final class Result {
		public final Map<String, WeightTensor> ema, generator, discriminator;
		public final List<TickReport> history;

		Result(Map<String, WeightTensor> ema, Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator,
			List<TickReport> history)
		{
			this.ema = ema;
			this.generator = generator;
			this.discriminator = discriminator;
			this.history = history;
		}
	}

	/** Where a checkpoint stands, as saved in its metadata. */
	static final class State extends TrainingCheckpoint.RunState {
		int step, steps;
		long images, adamGSteps, adamDSteps;
		double meanPathLength;
		List<TickReport> history = new ArrayList<>();
	}

	private static final long SAVE_EVERY_MS = 5 * 60_000L;
	private static final String STATE_KEY = "genij.stylegan2.state";
	private static final float W_AVG_BETA = 0.995f;

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;

	public StyleGanTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	/**
	 * Training images of {@code width × height} at {@code resolution}²: centred on a black canvas when smaller (e.g.
	 * Fashion-MNIST's 28×28 at 32); larger ones are refused.
	 */
	public static List<int[]> fitted(List<int[]> images, int width, int height, int channels, int resolution) {
		if (width > resolution || height > resolution) {
			throw new GenIJException("The training images are " + width + "x" + height + ", larger than resolution=" + resolution + ": give " +
				"resolution=" + Integer.highestOneBit(Math.max(width, height) * 2 - 1) + " or scale the images down.");
		}
		if (width == resolution && height == resolution) return images;
		int left = (resolution - width) / 2, top = (resolution - height) / 2;
		List<int[]> out = new ArrayList<>(images.size());
		for (int[] img : images) {
			int[] v = new int[channels * resolution * resolution];
			for (int c = 0; c < channels; c++)
				for (int y = 0; y < height; y++)
					System.arraycopy(img, (c * height + y) * width, v, (c * resolution + y + top) * resolution + left, width);
			out.add(v);
		}
		return out;
	}

	Discriminator discriminator() {
		StyleGanArch a = s.arch();
		return new Discriminator(s.resolution, s.channels, a::channels);
	}

	/**
	 * Trains on {@code images} (8-bit levels {@code [C, R, R]} at the settings' resolution and channels).
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<int[]> images, NDManager parent) {
		if (images.isEmpty()) throw new GenIJException("There are no training images.");
		int size = s.channels * s.resolution * s.resolution;
		for (int[] img : images) if (img.length != size) throw new IllegalArgumentException("an image of another size");
		String data = TrainingCheckpoint.fingerprint(images);
		State state = checkpoint.continued(State.class, "a StyleGAN2", s.identity(), data);
		try (NDManager m = parent.newSubManager(); StyleGan2 g = new StyleGan2(s.arch()); StyleGan2 ema = new StyleGan2(s.arch());
			Discriminator d = discriminator())
		{
			Map<String, WeightTensor> saved = null;
			if (state != null) {
				saved = checkpoint.tensors();
				g.load(TrainingCheckpoint.prefixed(saved, "G."), m, "The saved generator");
				ema.load(TrainingCheckpoint.prefixed(saved, "G_ema."), m, "The saved averaged generator");
				d.load(TrainingCheckpoint.prefixed(saved, "D."), m, "The saved discriminator");
				if (state.step >= s.steps) {
					progress.log("The training saved in " + checkpoint.file() + " has run its " + state.step + " steps already.");
					return new Result(ema.stateDict(), g.stateDict(), d.stateDict(), state.history);
				}
				progress.log("Continuing the training saved in " + checkpoint.file() + " at step " + (state.step + 1) + ".");
			}
			else {
				g.initialise(s.seed, m);
				d.initialise(s.seed + 1, m);
				ema.load(g.stateDict(), m, "The averaged generator");
				state = new State();
				state.settings = s.identity();
				state.data = data;
			}
			state.steps = s.steps;
			g.train(true);
			d.train(true);
			ema.train(false);
			float gRatio = s.gRegEvery / (s.gRegEvery + 1f), dRatio = s.dRegEvery / (s.dRegEvery + 1f);
			try (Adam adamG = new Adam(g.trainableArrays(), 0f, (float) Math.pow(0.99, gRatio), 1e-8f, m);
				Adam adamD = new Adam(d.trainableArrays(), 0f, (float) Math.pow(0.99, dRatio), 1e-8f, m))
			{
				if (saved != null && state.adamGSteps > 0) adamG.restore(TrainingCheckpoint.floats(saved, "adamG."), "adamG.", state.adamGSteps);
				if (saved != null && state.adamDSteps > 0) adamD.restore(TrainingCheckpoint.floats(saved, "adamD."), "adamD.", state.adamDSteps);
				saved = null;
				loop(images, g, ema, d, adamG, adamD, state, s.lr * gRatio, s.lr * dRatio, m);
			}
			return new Result(ema.stateDict(), g.stateDict(), d.stateDict(), state.history);
		}
	}

	private void loop(List<int[]> images, StyleGan2 g, StyleGan2 ema, Discriminator d, Adam adamG, Adam adamD, State state, float lrG, float lrD,
		NDManager m)
	{
		long lastSave = System.currentTimeMillis();
		TickReport sum = new TickReport();
		int counted = 0, r1Counted = 0, plCounted = 0;
		for (int i = state.step; i < s.steps; i++) {
			try {
				progress.checkCancelled();
			}
			catch (CancelledException e) {
				state.step = i;
				save(g, ema, d, adamG, adamD, state);
				progress.log("Stopped at step " + (i + 1) + "; saved to " + checkpoint.file() + ". Run again with the same output name to continue.");
				throw e;
			}
			NumpyRandom r = new NumpyRandom(TrainingCheckpoint.stepSeed(s.seed, 0, i) & 0xffffffffL);
			Step out = step(i, images, g, d, adamG, adamD, state, lrG, lrD, r, m);
			state.images += s.batch;
			updateEma(g, ema, state.images);
			sum.dLoss += out.dLoss;
			sum.gLoss += out.gLoss;
			counted++;
			if (!Double.isNaN(out.r1)) {
				sum.r1 += out.r1;
				r1Counted++;
			}
			if (!Double.isNaN(out.pathPenalty)) {
				sum.pathPenalty += out.pathPenalty;
				plCounted++;
			}
			listener.step(i, s.steps, out.dLoss, out.gLoss);
			progress.progress(i + 1, s.steps);
			boolean tickEnds = (i + 1) % s.tick == 0 || i + 1 == s.steps;
			if (tickEnds) {
				TickReport t = new TickReport();
				t.step = i + 1;
				t.images = state.images;
				t.dLoss = sum.dLoss / counted;
				t.gLoss = sum.gLoss / counted;
				t.r1 = r1Counted == 0 ? Double.NaN : sum.r1 / r1Counted;
				t.pathPenalty = plCounted == 0 ? Double.NaN : sum.pathPenalty / plCounted;
				t.pathLength = state.meanPathLength;
				state.history.add(t);
				sum = new TickReport();
				counted = r1Counted = plCounted = 0;
				state.step = i + 1;
				save(g, ema, d, adamG, adamD, state);
				lastSave = System.currentTimeMillis();
				progress.log(String.format(Locale.ROOT, "Step %d of %d (%d images): D loss %.4f, G loss %.4f, R1 %.4g, path penalty %.4g, " +
					"mean path length %.4f", t.step, s.steps, t.images, t.dLoss, t.gLoss, t.r1, t.pathPenalty, t.pathLength));
				listener.tick(t, ema);
			}
			else if (System.currentTimeMillis() - lastSave > SAVE_EVERY_MS) {
				state.step = i + 1;
				save(g, ema, d, adamG, adamD, state);
				lastSave = System.currentTimeMillis();
			}
		}
		state.step = s.steps;
	}

	/** What one step measured (NaN where a lazy regulariser did not run). */
	static final class Step {
		double dLoss, gLoss, r1 = Double.NaN, pathPenalty = Double.NaN;
	}

	private Step step(int i, List<int[]> images, StyleGan2 g, Discriminator d, Adam adamG, Adam adamD, State state, float lrG, float lrD,
		NumpyRandom r, NDManager m)
	{
		Step out = new Step();
		try (NDManager sm = m.newSubManager()) {
			NDArray real = realBatch(images, r, sm);
			BatchLatents fakeLatents = BatchLatents.draw(r, s.batch, g, s.mixing);
			// the discriminator's step: fakes made without a graph (the generator is not trained here)
			NDArray fake;
			try (NoGrad ng = NoGrad.enter()) {
				fake = fakeLatents.images(g, sm);
			}
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray loss = discriminatorLoss(d, real, fake);
				gc.backward(loss);
				out.dLoss = GradientPenalties.scalar(loss);
			}
			adamD.step(lrD);
			if (i % s.dRegEvery == 0) {
				try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					out.r1 = GradientPenalties.r1(d, real, s.r1Gamma() / 2 * s.dRegEvery, GradientPenalties.DELTA, gc, adamD::zeroGradients);
				}
				adamD.step(lrD);
			}
			// the generator's step
			BatchLatents gLatents = BatchLatents.draw(r, s.batch, g, s.mixing);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray ws = gLatents.ws(g, sm);
				NDArray loss = generatorLoss(d, g.synthesise(ws, gLatents.noise));
				gc.backward(loss);
				out.gLoss = GradientPenalties.scalar(loss);
				trackAverageW(g, gLatents.w1);
			}
			adamG.step(lrG);
			adamD.zeroGradients(); // the generator's loss reached the discriminator too
			if (i % s.gRegEvery == 0) {
				int pathBatch = Math.max(1, s.batch / s.pathBatchShrink);
				BatchLatents pl = BatchLatents.draw(r, pathBatch, g, s.mixing);
				NDArray y = pathNoise(r, pathBatch, sm);
				try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					GradientPenalties.PathLengths p = GradientPenalties.pathLength(g, pl.ws(g, sm), pl.noise, y, state.meanPathLength, s.pathDecay,
						s.pathLengthWeight * s.gRegEvery, GradientPenalties.DELTA, gc, adamG::zeroGradients);
					out.pathPenalty = p.penalty;
					state.meanPathLength = p.meanPathLength;
				}
				adamG.step(lrG);
			}
		}
		if (!Double.isFinite(out.dLoss) || !Double.isFinite(out.gLoss))
			throw new GenIJException("Training diverged at step " + (i + 1) + " (D loss " + out.dLoss + ", G loss " + out.gLoss + "). Lower lr or raise r1.");
		return out;
	}

	/** softplus(D(fake)) + softplus(-D(real)), each averaged over the batch. */
	static NDArray discriminatorLoss(Discriminator d, NDArray real, NDArray fake) {
		NDArray onFake = Activation.softPlus(d.forward(fake)).mean();
		NDArray onReal = Activation.softPlus(d.forward(real).neg()).mean();
		return onFake.add(onReal);
	}

	/** softplus(-D(fake)), averaged: the non-saturating loss. */
	static NDArray generatorLoss(Discriminator d, NDArray fake) {
		return Activation.softPlus(d.forward(fake).neg()).mean();
	}

	/** The latents of one batch: z (and a second z with the w index from which it takes over, when mixing), the noise maps. */
	static final class BatchLatents {
		final float[] z1, z2;
		final int n, cutoff;
		final Noise noise;
		NDArray w1;

		BatchLatents(float[] z1, float[] z2, int n, int cutoff, Noise noise) {
			this.z1 = z1;
			this.z2 = z2;
			this.n = n;
			this.cutoff = cutoff;
			this.noise = noise;
		}

		/** rosinality's {@code mixing_noise}: with probability {@code mixing} two z's and a crossover in [1, numWs - 1]. */
		static BatchLatents draw(NumpyRandom r, int n, StyleGan2 g, double mixing) {
			int zDim = g.arch.zDim, numWs = g.numWs();
			float[] z1 = gaussians(r, n * zDim);
			float[] z2 = null;
			int cutoff = numWs;
			if (r.nextDouble() < mixing) {
				z2 = gaussians(r, n * zDim);
				cutoff = 1 + (int) Math.min(numWs - 2, Math.floor(r.nextDouble() * (numWs - 1)));
			}
			return new BatchLatents(z1, z2, n, cutoff, Noise.perSample(new NumpyRandom((long) (r.nextDouble() * 4294967296.0))));
		}

		/** ws {@code [n, numWs, wDim]} through the mapping network (with its graph when one is recorded). */
		NDArray ws(StyleGan2 g, NDManager m) {
			return ws(g, m, DataType.FLOAT32);
		}

		/** In {@code type} (float64 for exact comparisons: the weights are converted as they are used). */
		NDArray ws(StyleGan2 g, NDManager m, DataType type) {
			int zDim = g.arch.zDim, numWs = g.numWs();
			w1 = g.mapping.forward(m.create(z1, new Shape(n, zDim)).toType(type, false).toDevice(g.device(), false), null);
			NDArray ws = w1.expandDims(1).repeat(1, cutoff);
			if (z2 == null) return ws;
			NDArray w2 = g.mapping.forward(m.create(z2, new Shape(n, zDim)).toType(type, false).toDevice(g.device(), false), null);
			return NDArrays.concat(new NDList(ws, w2.expandDims(1).repeat(1, numWs - cutoff)), 1);
		}

		NDArray images(StyleGan2 g, NDManager m) {
			return g.synthesise(ws(g, m), noise);
		}
	}

	private static float[] gaussians(NumpyRandom r, int n) {
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
		return v;
	}

	/** y ~ N(0, 1) / √(H·W), the images' shape. */
	private NDArray pathNoise(NumpyRandom r, int n, NDManager m) {
		float[] v = gaussians(r, n * s.channels * s.resolution * s.resolution);
		float scale = (float) (1 / Math.sqrt((double) s.resolution * s.resolution));
		for (int k = 0; k < v.length; k++) v[k] *= scale;
		return m.create(v, new Shape(n, s.channels, s.resolution, s.resolution));
	}

	/** A batch of training images drawn uniformly (with replacement), as -1..1 floats. */
	private NDArray realBatch(List<int[]> images, NumpyRandom r, NDManager m) {
		int size = s.channels * s.resolution * s.resolution;
		float[] v = new float[s.batch * size];
		for (int b = 0; b < s.batch; b++) {
			int[] img = images.get((int) Math.min(images.size() - 1, Math.floor(r.nextDouble() * images.size())));
			for (int k = 0; k < size; k++) v[b * size + k] = img[k] / 127.5f - 1;
		}
		return m.create(v, new Shape(s.batch, s.channels, s.resolution, s.resolution));
	}

	/** NVIDIA's {@code w_avg.copy_(w.mean(0).lerp(w_avg, 0.995))}. */
	private static void trackAverageW(StyleGan2 g, NDArray w) {
		try (NoGrad ng = NoGrad.enter(); NDManager tmp = w.getManager().newSubManager()) {
			NDArray avg = g.mapping.wAvg.value();
			NDArray mean = w.mean(new int[] { 0 });
			mean.attach(tmp);
			NDArray change = mean.sub(avg);
			change.attach(tmp);
			avg.addi(change.muli(1 - W_AVG_BETA));
		}
	}

	/** ema ← g + β (ema - g) for parameters, buffers copied; β from a half-life of emaImages images, ramped up. */
	private void updateEma(StyleGan2 g, StyleGan2 ema, long images) {
		double emaImages = Math.min(s.emaImages, images * s.emaRampup);
		float beta = (float) Math.pow(0.5, s.batch / Math.max(emaImages, 1e-8));
		Map<String, Slot> from = g.slots();
		try (NoGrad ng = NoGrad.enter(); NDManager tmp = GenIJEngine.get().newBaseManager()) {
			ema.slots().forEach((k, e) -> {
				NDArray target = e.value(), source = from.get(k).value();
				NDArray gap = source.sub(target);
				gap.attach(tmp);
				target.addi(e.trained() ? gap.muli(1 - beta) : gap);
			});
		}
	}

	private void save(StyleGan2 g, StyleGan2 ema, Discriminator d, Adam adamG, Adam adamD, State state) {
		state.adamGSteps = adamG.steps();
		state.adamDSteps = adamD.steps();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		g.stateDict().forEach((k, v) -> all.put("G." + k, v));
		ema.stateDict().forEach((k, v) -> all.put("G_ema." + k, v));
		d.stateDict().forEach((k, v) -> all.put("D." + k, v));
		adamG.state("adamG.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		adamD.state("adamD.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		checkpoint.write(all, state);
	}

	/** Status of a checkpoint file for a command's log (null if there is none). */
	public static String describe(Path checkpoint) {
		TrainingCheckpoint c = new TrainingCheckpoint(checkpoint, STATE_KEY);
		if (!c.exists()) return null;
		State st = c.state(State.class);
		return st == null ? null : "step " + (st.step + 1) + " of " + st.steps;
	}
}
