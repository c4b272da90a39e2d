package io.github.genij.stylegan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Trains a ProGAN by progressive growing as facebookresearch/pytorch_GAN_zoo's {@code ProgressiveGANTrainer} does with
 * its default configuration: 4x4 first, then one scale at a time up to the resolution, {@code steps} iterations per
 * scale; each new scale fades in over {@code fade} iterations (the zoo's "linear" alpha jumps: the previous scale's
 * share falls from 1 to 0 in steps every {@code alphaEvery} iterations), the real images blended the same way;
 * WGAN-GP (λ 10) with the drift term ε·D(real)² (0.001), Adam (lr 0.001, β 0 and 0.99), the zoo's minibatch standard
 * deviation in the discriminator, and an average of the generator (0.999 per step) that is what the model samples.
 * As the zoo does, each new scale starts with fresh optimisers and an average restarted from the generator.
 * <p>
 * The networks are the zoo's GNet ({@link ProGan}) and DNet ({@link ProGanDiscriminator}), keyed as its state dicts.
 * Every random draw of iteration i of scale s comes from a {@link NumpyRandom} seeded by (seed, s, i) and the data order
 * of each pass from (seed, s, pass), so a run continued from its checkpoint draws what an uninterrupted one would have.
 */
public final class ProGanTrainer {

	/** What to train (the zoo's names in brackets). */
	public static final class Settings {
		public int resolution, channels = 1;
		/** z's size [dimLatentVector]; the depth of every scale [depthScales] when {@code depths} is null. */
		public int latent = 512, depth = 512;
		/** One depth per scale, 4x4 first [depthScales]; null: {@code depth} everywhere. */
		public int[] depths;
		/** [miniBatchSize], iterations per scale [maxIterAtScale], of the fade-in [alphaNJumps · alphaSizeJumps], alpha's step [alphaSizeJumps]. */
		public int batch = 16, steps = 96000, fade = 19200, alphaEvery = 32, tick = 500;
		/** [baseLearningRate] */
		public float lr = 0.001f;
		/** [lambdaGP], [epsilonD], [leakyness]; the average's decay is the zoo's fixed 0.999. */
		public double lambdaGp = 10, epsilonD = 0.001, leak = 0.2, emaDecay = 0.999;
		public long seed = 1;

		void check() {
			if (resolution < 4 || Integer.bitCount(resolution) != 1) throw new GenIJException("resolution=" + resolution + ": ProGAN grows to a power of 2 from 4 (8, 16, 32, ...).");
			if (channels != 1 && channels != 3) throw new GenIJException("ProGAN trains on grey or RGB images, not " + channels + " channels.");
			if (batch < 2) throw new GenIJException("batchsize=" + batch + ": give 2 or more (the discriminator compares samples in groups of 4).");
			if (steps < 1 || tick < 1 || latent < 1 || depth < 1 || alphaEvery < 1)
				throw new GenIJException("steps, tick, latent size, depth and the alpha step must each be at least 1.");
			if (fade < alphaEvery || fade % alphaEvery != 0 || fade > steps)
				throw new GenIJException("fade=" + fade + ": give a multiple of " + alphaEvery + " (alpha changes every " + alphaEvery + " steps, as the zoo's) " +
					"from " + alphaEvery + " up to steps=" + steps + ".");
			int[] d = depthsPerScale();
			if (d.length != stages()) throw new GenIJException("depths: give one per scale from 4x4 to " + resolution + "x" + resolution + " (" + stages() + "), not " + d.length + ".");
			for (int x : d) if (x < 1) throw new GenIJException("depths: every scale's depth is at least 1.");
			if (!(lambdaGp >= 0) || !(epsilonD >= 0)) throw new GenIJException("The gradient penalty's and the drift term's weights are 0 or more.");
		}

		/** Scales from 4x4 up to the resolution. */
		int stages() {
			return Integer.numberOfTrailingZeros(resolution) - 1;
		}

		int[] depthsPerScale() {
			if (depths != null) return depths.clone();
			int[] d = new int[stages()];
			Arrays.fill(d, depth);
			return d;
		}

		/** The fully grown network's shape. */
		ProGan.Shape0 shape() {
			int[] d = depthsPerScale();
			return ProGan.Shape0.of(latent, d[0], channels, Arrays.copyOfRange(d, 1, d.length));
		}

		/**
		 * The settings a checkpoint must share to be continued. Steps may grow: the scale under way trains on to the new
		 * count (a finished training trains its last scale further), later scales get it too.
		 */
		String identity() {
			return String.format(Locale.ROOT, "progan %dx%d channels=%d latent=%d depths=%s batch=%d fade=%d/%d lr=%s gp=%s eps=%s leak=%s " +
				"ema=%s seed=%d", resolution, resolution, channels, latent, Arrays.toString(depthsPerScale()), batch, fade, alphaEvery, lr, lambdaGp,
				epsilonD, leak, emaDecay, seed);
		}

		/**
		 * The zoo's alpha (the previous scale's share) at iteration {@code i} of scale {@code stage}: 0 at 4x4; else the
		 * values its {@code updateAlphaJumps} builds (1, 1 - 1/n, ... by repeated subtraction, then 0), each held for
		 * {@code alphaEvery} iterations.
		 */
		double previousShare(int stage, int i) {
			if (stage == 0) return 0;
			int jumps = fade / alphaEvery;
			double step = 1.0 / jumps, value = 1.0;
			int k = i / alphaEvery;
			for (int j = 0; value > 0; j++) {
				if (j == k) return value;
				value -= step;
			}
			return 0;
		}
	}

	/** The mean losses of one tick. */
	public static final class TickReport {
		public int stage, step;
		/** D's whole loss (real, fake, penalty and drift terms summed, as the zoo reports it), G's, the penalty, and the zoo's alpha at the tick's end. */
		public double dLoss, gLoss, gradientPenalty, previousShare;
	}

	/** Hears about training as it goes (on the training thread). */
	public interface Listener {
		default void step(int stage, int step, int steps, double dLoss, double gLoss) {}

		/** After every tick, with the averaged generator (inference mode; do not keep it). */
		default void tick(TickReport report, ProGan average) {}

		/** After a scale's last iteration, with its averaged generator (inference mode; do not keep it). */
		default void stageDone(int stage, ProGan average) {}
	}

	/** The trained networks (fully grown): the averaged generator (the model), the generator and the discriminator. */
	public static final class Result {
		public final Map<String, WeightTensor> average, generator, discriminator;
		public final List<TickReport> history;

		Result(Map<String, WeightTensor> average, Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator, List<TickReport> history) {
			this.average = average;
			this.generator = generator;
			this.discriminator = discriminator;
			this.history = history;
		}
	}

	/** Where a checkpoint stands, as saved in its metadata: the networks saved are those of {@code stage}. */
	static final class State extends TrainingCheckpoint.RunState {
		int stage, step;
		long adamGSteps, adamDSteps;
		List<TickReport> history = new ArrayList<>();
		/** The sums of the tick under way and how many steps they hold, so that a continued tick reports what an uninterrupted one would. */
		TickReport tickSums = new TickReport();
		int tickSteps;
	}

	private static final long SAVE_EVERY_MS = 5 * 60_000L;
	private static final String STATE_KEY = "genij.progan.state";

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;

	public ProGanTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	/** The networks of one scale, and their optimisers. */
	private final class Nets implements AutoCloseable {
		final int stage;
		final ProGan g, average;
		final ProGanDiscriminator d;
		final Adam adamG, adamD;

		Nets(int stage, Map<String, WeightTensor> gWeights, Map<String, WeightTensor> dWeights, Map<String, WeightTensor> averageWeights, NDManager m) {
			this.stage = stage;
			ProGan.Shape0 shape = s.shape().upTo(stage);
			g = new ProGan(shape, (float) s.leak, false);
			average = new ProGan(shape, (float) s.leak, false);
			d = new ProGanDiscriminator(shape, (float) s.leak);
			// new layers as the zoo makes them (N(0, 1), zero bias), the grown ones carried over
			g.initialise(TrainingCheckpoint.stepSeed(s.seed, stage, -1), m);
			d.initialise(TrainingCheckpoint.stepSeed(s.seed, stage, -2), m);
			if (gWeights != null) g.load(merged(g.stateDict(), gWeights), m, "The generator");
			if (dWeights != null) d.load(merged(d.stateDict(), dWeights), m, "The discriminator");
			average.load(averageWeights != null ? averageWeights : g.stateDict(), m, "The averaged generator");
			g.train(true);
			d.train(true);
			average.train(false);
			adamG = new Adam(g.trainableArrays(), 0f, 0.99f, 1e-8f, m);
			adamD = new Adam(d.trainableArrays(), 0f, 0.99f, 1e-8f, m);
		}

		/** The next scale's networks: these grown by one scale, the average restarted from the generator, fresh optimisers. */
		Nets grown(NDManager m) {
			return new Nets(stage + 1, g.stateDict(), d.stateDict(), null, m);
		}

		@Override
		public void close() {
			adamG.close();
			adamD.close();
			g.close();
			average.close();
			d.close();
		}
	}

	private static Map<String, WeightTensor> merged(Map<String, WeightTensor> fresh, Map<String, WeightTensor> kept) {
		Map<String, WeightTensor> out = new LinkedHashMap<>(fresh);
		out.putAll(kept);
		return out;
	}

	/**
	 * Trains on {@code images} (8-bit levels {@code [C, R, R]} at the settings' resolution and channels); the smaller
	 * scales see them box-averaged (NVIDIA's dataset pyramid; the zoo resizes with PIL).
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<int[]> images, NDManager parent) {
		if (images.size() < s.batch) throw new GenIJException("There are " + images.size() + " training images, fewer than batchsize=" + s.batch + ".");
		int size = s.channels * s.resolution * s.resolution;
		for (int[] img : images) if (img.length != size) throw new IllegalArgumentException("an image of another size");
		String data = TrainingCheckpoint.fingerprint(images);
		State state = checkpoint.continued(State.class, "a ProGAN", s.identity(), data);
		try (NDManager m = parent.newSubManager()) {
			Nets nets;
			if (state != null) {
				Map<String, WeightTensor> saved = checkpoint.tensors();
				nets = new Nets(state.stage, TrainingCheckpoint.prefixed(saved, "G."), TrainingCheckpoint.prefixed(saved, "D."),
					TrainingCheckpoint.prefixed(saved, "avgG."), m);
				if (state.adamGSteps > 0) nets.adamG.restore(TrainingCheckpoint.floats(saved, "adamG."), "adamG.", state.adamGSteps);
				if (state.adamDSteps > 0) nets.adamD.restore(TrainingCheckpoint.floats(saved, "adamD."), "adamD.", state.adamDSteps);
				if (state.stage < s.stages() - 1 || state.step < s.steps)
					progress.log("Continuing the training saved in " + checkpoint.file() + " at " + (4 << state.stage) + "x" + (4 << state.stage) + ", step " +
						(state.step + 1) + ".");
			}
			else {
				state = new State();
				state.settings = s.identity();
				state.data = data;
				nets = new Nets(0, null, null, null, m);
			}
			try {
				while (true) {
					if (state.step < s.steps) {
						trainStage(images, nets, state, m);
						try (NoGrad ng = NoGrad.enter()) {
							nets.average.grownTo(4 << nets.stage, 1);
							listener.stageDone(nets.stage, nets.average);
						}
					}
					if (nets.stage == s.stages() - 1) break;
					Nets next = nets.grown(m);
					nets.close();
					nets = next;
					state.stage = nets.stage;
					state.step = 0;
					save(nets, state);
				}
				return new Result(nets.average.stateDict(), nets.g.stateDict(), nets.d.stateDict(), state.history);
			}
			finally {
				nets.close();
			}
		}
	}

	private void trainStage(List<int[]> images, Nets nets, State state, NDManager m) {
		int stage = nets.stage, res = 4 << stage;
		float[][] data = atResolution(images, res);
		int perPass = images.size() / s.batch, pass = -1;
		int[] order = null;
		long lastSave = System.currentTimeMillis();
		TickReport sum = state.tickSums;
		progress.status("ProGAN " + res + "x" + res);
		for (int i = state.step; i < s.steps; i++) {
			try {
				progress.checkCancelled();
			}
			catch (CancelledException e) {
				state.step = i;
				save(nets, state);
				progress.log("Stopped at " + res + "x" + res + ", step " + (i + 1) + "; saved to " + checkpoint.file() + ". Run again with the same output name to continue.");
				throw e;
			}
			if (i / perPass != pass) {
				pass = i / perPass;
				order = TrainingCheckpoint.shuffled(images.size(), s.seed, stage * 1_000_000 + pass);
			}
			NumpyRandom r = new NumpyRandom(TrainingCheckpoint.stepSeed(s.seed, stage, i) & 0xffffffffL);
			double share = s.previousShare(stage, i);
			Step out;
			try (NDManager sm = m.newSubManager()) {
				NDArray real = realBatch(data, order, i % perPass, res, share, sm);
				out = step(nets, real, share, r, sm);
			}
			if (!Double.isFinite(out.dLoss) || !Double.isFinite(out.gLoss))
				throw new GenIJException("Training diverged at " + res + "x" + res + ", step " + (i + 1) + " (D loss " + out.dLoss + ", G loss " + out.gLoss + "). Lower lr.");
			updateAverage(nets.g, nets.average);
			sum.dLoss += out.dLoss;
			sum.gLoss += out.gLoss;
			sum.gradientPenalty += out.gradientPenalty;
			state.tickSteps++;
			listener.step(stage, i, s.steps, out.dLoss, out.gLoss);
			progress.progress((long) stage * s.steps + i + 1, (long) s.stages() * s.steps);
			if ((i + 1) % s.tick == 0 || i + 1 == s.steps) {
				TickReport t = new TickReport();
				t.stage = stage;
				t.step = i + 1;
				t.dLoss = sum.dLoss / state.tickSteps;
				t.gLoss = sum.gLoss / state.tickSteps;
				t.gradientPenalty = sum.gradientPenalty / state.tickSteps;
				t.previousShare = share;
				state.history.add(t);
				sum = state.tickSums = new TickReport();
				state.tickSteps = 0;
				state.step = i + 1;
				save(nets, state);
				lastSave = System.currentTimeMillis();
				progress.log(String.format(Locale.ROOT, "%dx%d step %d of %d%s: D loss %.4f, G loss %.4f, gradient penalty %.4f", res, res, t.step, s.steps,
					share > 0 ? String.format(Locale.ROOT, " (fading in: previous scale's share %.3f)", share) : "", t.dLoss, t.gLoss, t.gradientPenalty));
				try (NoGrad ng = NoGrad.enter()) {
					nets.average.grownTo(res, 1 - share);
					listener.tick(t, nets.average);
				}
			}
			else if (System.currentTimeMillis() - lastSave > SAVE_EVERY_MS) {
				state.step = i + 1;
				save(nets, state);
				lastSave = System.currentTimeMillis();
			}
		}
		state.step = s.steps;
	}

	/** What one iteration measured. */
	static final class Step {
		double dLoss, gLoss, gradientPenalty;
	}

	/**
	 * One iteration of the zoo's {@code optimizeParameters}: D on real, a fake batch (fresh z) and the penalty, then G
	 * on another fresh z. Draws z (N × latent normals), the penalty's N uniforms, then G's z, from {@code r}.
	 */
	Step step(Nets nets, NDArray real, double share, NumpyRandom r, NDManager m) {
		int n = (int) real.getShape().get(0);
		Step out = new Step();
		ProGan g = nets.g;
		ProGanDiscriminator d = nets.d;
		g.grownTo(4 << nets.stage, 1 - share);
		d.previousShare(share);
		NDArray zD = latents(r, n, m, real);
		float[] mix = new float[n];
		for (int k = 0; k < n; k++) mix[k] = (float) r.nextDouble();
		NDArray zG = latents(r, n, m, real);
		NDArray fake;
		try (NoGrad ng = NoGrad.enter()) {
			fake = generate(g, zD);
		}
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			Losses l = discriminatorLosses(d, real, fake, m.create(mix, new Shape(n, 1, 1, 1)).toType(real.getDataType(), false), GradientPenalties.DELTA, gc,
				nets.adamD::zeroGradients);
			out.dLoss = l.total;
			out.gradientPenalty = l.gradientPenalty;
		}
		nets.adamD.step(s.lr);
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			NDArray loss = generatorLoss(d, generate(g, zG));
			gc.backward(loss);
			out.gLoss = GradientPenalties.scalar(loss);
		}
		nets.adamG.step(s.lr);
		nets.adamD.zeroGradients(); // the generator's loss reached the discriminator too
		return out;
	}

	/** The discriminator's losses of one iteration. */
	static final class Losses {
		double total, real, fake, gradientPenalty, drift;
	}

	/**
	 * Records the gradient of D's loss: -Σ D(real) + Σ D(fake) + GP + ε Σ D(real)² (sums over the batch, as the zoo's
	 * WGANGP criterion), the penalty first (it needs zero gradients on entry).
	 */
	Losses discriminatorLosses(ProGanDiscriminator d, NDArray real, NDArray fake, NDArray mix, double delta, GradientCollector gc, Runnable zeroD) {
		Losses l = new Losses();
		if (s.lambdaGp > 0) l.gradientPenalty = GradientPenalties.wganGp(d::forward, real, fake, mix, s.lambdaGp, delta, gc, zeroD);
		NDArray onReal = d.forward(real);
		NDArray realTerm = onReal.sum().neg(), fakeTerm = d.forward(fake).sum();
		NDArray drift = Scalars.times(onReal.square().sum(), (float) s.epsilonD);
		gc.backward(realTerm.add(fakeTerm).add(drift));
		l.real = GradientPenalties.scalar(realTerm);
		l.fake = GradientPenalties.scalar(fakeTerm);
		l.drift = GradientPenalties.scalar(drift);
		l.total = l.real + l.fake + l.drift + l.gradientPenalty;
		return l;
	}

	/** -Σ D(fake) over the batch. */
	static NDArray generatorLoss(ProGanDiscriminator d, NDArray fake) {
		return d.forward(fake).sum().neg();
	}

	static NDArray generate(ProGan g, NDArray z) {
		return g.synthesise(z.expandDims(1), null);
	}

	private NDArray latents(NumpyRandom r, int n, NDManager m, NDArray like) {
		float[] z = new float[n * s.latent];
		for (int k = 0; k < z.length; k++) z[k] = (float) r.nextGaussian();
		return m.create(z, new Shape(n, s.latent)).toType(like.getDataType(), false);
	}

	/** Every image at {@code res} px (box averages of the full ones), as -1..1 floats. */
	private float[][] atResolution(List<int[]> images, int res) {
		int f = s.resolution / res, c = s.channels, full = s.resolution;
		float[][] out = new float[images.size()][];
		for (int k = 0; k < out.length; k++) {
			int[] img = images.get(k);
			float[] v = new float[c * res * res];
			for (int ch = 0; ch < c; ch++)
				for (int y = 0; y < res; y++)
					for (int x = 0; x < res; x++) {
						double sum = 0;
						for (int dy = 0; dy < f; dy++)
							for (int dx = 0; dx < f; dx++) sum += img[(ch * full + y * f + dy) * full + x * f + dx];
						v[(ch * res + y) * res + x] = (float) (sum / (f * f) / 127.5 - 1);
					}
			out[k] = v;
		}
		return out;
	}

	/**
	 * Batch {@code b} of this pass's order; in a fade-in blended as the zoo's {@code inScaleUpdate} does: share ·
	 * (2x2 average, nearest x2) + (1 - share) · the images.
	 */
	private NDArray realBatch(float[][] data, int[] order, int b, int res, double share, NDManager m) {
		int size = s.channels * res * res;
		float[] v = new float[s.batch * size];
		for (int k = 0; k < s.batch; k++) System.arraycopy(data[order[b * s.batch + k]], 0, v, k * size, size);
		return faded(m.create(v, new Shape(s.batch, s.channels, res, res)), share);
	}

	/** The zoo's {@code inScaleUpdate}: share · (2x2 average, nearest x2) + (1 - share) · the images; the images when share is 0. */
	static NDArray faded(NDArray real, double share) {
		if (share <= 0) return real;
		NDArray low = Upsampling.nearest(ProGanDiscriminator.pool(real), 2);
		return Scalars.times(low, (float) share).add(Scalars.times(real, (float) (1 - share)));
	}

	/** The zoo's {@code avg_p.mul_(0.999).add_(0.001, p)} for every parameter. */
	private void updateAverage(ProGan g, ProGan average) {
		Map<String, Slot> from = g.slots();
		float keep = (float) s.emaDecay, take = (float) (1 - s.emaDecay);
		try (NoGrad ng = NoGrad.enter(); NDManager tmp = GenIJEngine.get().newBaseManager()) {
			average.slots().forEach((k, e) -> {
				NDArray added = from.get(k).value().mul(take);
				added.attach(tmp);
				e.value().muli(keep).addi(added);
			});
		}
	}

	private void save(Nets nets, State state) {
		state.adamGSteps = nets.adamG.steps();
		state.adamDSteps = nets.adamD.steps();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		nets.g.stateDict().forEach((k, v) -> all.put("G." + k, v));
		nets.average.stateDict().forEach((k, v) -> all.put("avgG." + k, v));
		nets.d.stateDict().forEach((k, v) -> all.put("D." + k, v));
		nets.adamG.state("adamG.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		nets.adamD.state("adamD.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		checkpoint.write(all, state);
	}

	/** Status of a checkpoint file for a command's log (null if there is none). */
	public static String describe(Path checkpoint) {
		TrainingCheckpoint c = new TrainingCheckpoint(checkpoint, STATE_KEY);
		if (!c.exists()) return null;
		State st = c.state(State.class);
		return st == null ? null : (4 << st.stage) + "x" + (4 << st.stage) + ", step " + (st.step + 1);
	}
}
