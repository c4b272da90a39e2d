package io.github.genij.translate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.EpochLoop;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Trains pix2pix as the reference does (junyanz/pytorch-CycleGAN-and-pix2pix, {@code --model pix2pix}):
 * a U-Net generator with batch norm and dropout, a 70x70 PatchGAN judging (A, B) stacked as channels,
 * L1 x lambda plus the conditional GAN loss, Adam (2e-4, beta1 0.5) for both, batch size 1, random
 * jitter and mirroring, the learning rate constant for the first half of the epochs and falling linearly
 * to zero over the second half.
 * <p>
 * Training can stop at any time: a checkpoint (both networks, both optimisers, the position in the
 * epoch) is written at the end of every epoch, every few minutes, and when cancelled; a new run with
 * the same checkpoint file continues exactly where the last one stopped. Every random draw is seeded
 * by (seed, epoch, step), so a resumed run computes what an uninterrupted one would have.
 */
public final class Pix2PixTrainer {

	/** The reference's GAN objectives: cross-entropy on logits, or least squares. */
	public enum GanLoss { VANILLA, LSGAN }

	/** What to train; the defaults are the reference's pix2pix defaults. */
	public static final class Settings {
		/** Downsamplings of the U-Net: 8 for unet_256, 7 for unet_128. */
		public int numDowns = 8;
		public int ngf = 64, ndf = 64;
		public int channelsA = 3, channelsB = 3;
		public int epochs = 200;
		public int cropSize = 256;
		public float lambdaL1 = 100f;
		public GanLoss ganLoss = GanLoss.VANILLA;
		public float lr = 2e-4f, beta1 = 0.5f;
		public long seed = 0;

		public String architecture() {
			return "unet_" + (1 << numDowns);
		}

		void check() {
			if (numDowns < 5 || numDowns > 10) throw new GenIJException("A U-Net needs 5 to 10 downsamplings, not " + numDowns + ".");
			int multiple = 1 << numDowns;
			if (cropSize < multiple || cropSize % multiple != 0) {
				throw new GenIJException("cropsize=" + cropSize + " does not suit " + architecture() + ", which needs sides that are " +
					"multiples of " + multiple + ". Use cropsize=" + multiple + " (or a multiple of it), or a smaller U-Net.");
			}
			if (ngf < 1 || ndf < 1) throw new GenIJException("ngf must be at least 1.");
			if (epochs < 1) throw new GenIJException("epochs must be at least 1.");
			if (!(lambdaL1 >= 0)) throw new GenIJException("lambdal1 must be 0 or more.");
		}

		/** The settings a checkpoint must share to be continued (the epoch count may grow). */
		String identity() {
			return String.format(Locale.ROOT, "%s ngf=%d ndf=%d in=%d out=%d crop=%d lambda=%s gan=%s lr=%s beta1=%s seed=%d",
				architecture(), ngf, ndf, channelsA, channelsB, cropSize, lambdaL1, ganLoss, lr, beta1, seed);
		}
	}

	/** Losses of one step. */
	public static final class StepLosses {
		public final float discriminator, generatorGan, generatorL1;

		StepLosses(float d, float gGan, float gL1) {
			this.discriminator = d;
			this.generatorGan = gGan;
			this.generatorL1 = gL1;
		}
	}

	/** One epoch's summary, with the validation preview: A, G(A), B as {@code [C, s, s]} in [-1, 1]. */
	public static final class EpochReport {
		public int epoch;
		public double meanL1, meanGan, meanDiscriminator, validationL1 = Double.NaN;
		public transient float[] previewA, previewFake, previewB;
		public transient int previewSize;
	}

	/** Hears about training as it goes (on the training thread). */
	public interface Listener {
		default void step(int epoch, int step, int steps, StepLosses losses) {}

		default void epoch(EpochReport report) {}
	}

	/** What training produced. */
	public static final class Result {
		public final Map<String, WeightTensor> generator, discriminator;
		public final List<EpochReport> history;

		Result(Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator, List<EpochReport> history) {
			this.generator = generator;
			this.discriminator = discriminator;
			this.history = history;
		}
	}

	private static final String STATE_KEY = "genij.pix2pix.state";

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Progress progress;
	private final Listener listener;

	/**
	 * @param checkpoint where progress is kept; an existing one is continued
	 */
	public Pix2PixTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	/** Where a checkpoint stands, as saved in its metadata. */
	static final class State {
		String settings;
		/** What the training images were (their names, sizes and values, hashed): a resume must use the same. */
		String data;
		int epoch, position, epochs;
		long adamStepsG, adamStepsD;
		List<EpochReport> history = new ArrayList<>();
	}

	/**
	 * Trains on {@code pairs} (their channels must match the settings), previewing on {@code validation}
	 * (may be null: the first training pair is shown then), and returns the trained networks.
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<TrainingPair> pairs, List<TrainingPair> validation, NDManager parent) {
		if (pairs.isEmpty()) throw new GenIJException("There are no training pairs.");
		for (TrainingPair p : pairs) {
			if (p.channelsA != s.channelsA || p.channelsB != s.channelsB) {
				throw new GenIJException(p.name + " has " + p.channelsA + " -> " + p.channelsB + " channels, the others " +
					s.channelsA + " -> " + s.channelsB + ": make all A images one type and all B images one type.");
			}
		}
		String data = fingerprint(pairs);
		State state = checkpoint.exists() ? readState(data) : null;
		Map<String, WeightTensor> saved = state == null ? null : checkpoint.tensors(); // read once: it can be large
		try (NDManager m = parent.newSubManager();
			UnetGenerator g = Generator.referenceInit(new UnetGenerator(s.channelsA, s.channelsB, s.numDowns, s.ngf, true, true));
			PatchDiscriminator d = Generator.referenceInit(new PatchDiscriminator(s.channelsA + s.channelsB, s.ndf, 3, true)))
		{
			g.train(true);
			d.train(true);
			if (state != null) {
				g.load(TrainingCheckpoint.prefixed(saved, "G."), m, "The saved generator (made with other settings?)");
				d.load(TrainingCheckpoint.prefixed(saved, "D."), m, "The saved discriminator (made with other settings?)");
				progress.log("Continuing the training saved in " + checkpoint.file() + " at epoch " + (state.epoch + 1) + ", step " +
					(state.position + 1) + ".");
			}
			else {
				g.initialise(s.seed, m);
				d.initialise(s.seed + 1, m);
				state = new State();
				state.settings = s.identity();
				state.data = data;
			}
			state.epochs = s.epochs;
			try (Adam adamG = new Adam(g.trainableArrays(), s.beta1, 0.999f, 1e-8f, m);
				Adam adamD = new Adam(d.trainableArrays(), s.beta1, 0.999f, 1e-8f, m)) {
				if (saved != null && state.adamStepsG > 0) {
					Map<String, float[]> moments = TrainingCheckpoint.floats(saved, "adam");
					saved = null;
					adamG.restore(moments, "adamG.", state.adamStepsG);
					adamD.restore(moments, "adamD.", state.adamStepsD);
				}
				loop(pairs, validation == null || validation.isEmpty() ? List.of(pairs.get(0)) : validation, g, d, adamG, adamD,
					state, m);
			}
			return new Result(g.stateDict(), d.stateDict(), state.history);
		}
	}

	private void loop(List<TrainingPair> pairs, List<TrainingPair> validation, UnetGenerator g, PatchDiscriminator d, Adam adamG,
		Adam adamD, State state, NDManager m)
	{
		Jitter jitter = new Jitter(s.cropSize);
		int n = pairs.size();
		new EpochLoop(progress, checkpoint.file()) {
			float lr;
			int[] order;
			double sumL1, sumGan, sumD;
			int counted;

			@Override
			protected int startEpoch(int epoch) {
				lr = s.lr * learningRateFactor(epoch, s.epochs);
				order = TrainingCheckpoint.shuffled(n, s.seed, epoch);
				sumL1 = sumGan = sumD = 0;
				counted = 0;
				progress.status("pix2pix epoch " + (epoch + 1) + " of " + s.epochs + " (learning rate " + lr + ")");
				return n;
			}

			@Override
			protected void step(int epoch, int i, int steps) {
				Random r = new Random(TrainingCheckpoint.stepSeed(s.seed, epoch, i));
				StepLosses l = Pix2PixTrainer.this.step(pairs.get(order[i]), jitter, r, g, d, adamG, adamD, lr, m);
				sumL1 += l.generatorL1;
				sumGan += l.generatorGan;
				sumD += l.discriminator;
				counted++;
				listener.step(epoch, i, n, l);
			}

			@Override
			protected void endEpoch(int epoch) {
				EpochReport report = validate(validation, g, m);
				report.epoch = epoch;
				report.meanL1 = counted == 0 ? Double.NaN : sumL1 / counted;
				report.meanGan = counted == 0 ? Double.NaN : sumGan / counted;
				report.meanDiscriminator = counted == 0 ? Double.NaN : sumD / counted;
				state.history.add(report);
				progress.log(String.format(Locale.ROOT, "Epoch %d of %d: L1 %.4f, G GAN %.4f, D %.4f, validation L1 %.4f",
					epoch + 1, s.epochs, report.meanL1, report.meanGan, report.meanDiscriminator, report.validationL1));
				listener.epoch(report);
			}

			@Override
			protected void save(int epoch, int position) {
				state.epoch = epoch;
				state.position = position;
				Pix2PixTrainer.this.save(g, d, adamG, adamD, state);
			}
		}.run(state.epoch, state.position, s.epochs);
	}

	/** One optimisation step of D, then of G, as the reference's {@code optimize_parameters}. */
	private StepLosses step(TrainingPair pair, Jitter jitter, Random r, UnetGenerator g, PatchDiscriminator d, Adam adamG, Adam adamD,
		float lr, NDManager m)
	{
		float[][] ab = jitter.sample(pair, r);
		int size = s.cropSize;
		g.dropout(r);
		try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			Generator generator = g;
			PatchDiscriminator discriminator = d;
			NDArray a = step.create(ab[0], new Shape(1, s.channelsA, size, size));
			NDArray b = step.create(ab[1], new Shape(1, s.channelsB, size, size));
			NDArray fake = generator.forward(a);

			// D: real pairs towards 1, generated ones (not back-propagated into G) towards 0
			NDArray predFake = discriminator.forward(NDArrays.concat(new NDList(a, fake.stopGradient()), 1));
			NDArray predReal = discriminator.forward(NDArrays.concat(new NDList(a, b), 1));
			NDArray lossD = Scalars.times(gan(predFake, false).add(gan(predReal, true)), 0.5f);
			gc.backward(lossD);
			adamD.step(lr);

			// G: fool the updated D, and stay close to B
			NDArray predFakeForG = discriminator.forward(NDArrays.concat(new NDList(a, fake), 1));
			NDArray lossGan = gan(predFakeForG, true);
			NDArray lossL1 = fake.sub(b).abs().mean();
			gc.backward(lossGan.add(Scalars.times(lossL1, s.lambdaL1)));
			adamG.step(lr);
			adamD.zeroGradients(); // G's backward pass also reached D's parameters
			float dl1 = lossD.getFloat(), gg = lossGan.getFloat(), l1 = lossL1.getFloat();
			if (!Float.isFinite(dl1) || !Float.isFinite(gg) || !Float.isFinite(l1)) {
				throw new GenIJException("Training diverged (loss D " + dl1 + ", G " + gg + ", L1 " + l1 + "). Lower the learning " +
					"rate or check the images.");
			}
			return new StepLosses(dl1, gg, l1);
		}
	}

	/** The reference's GANLoss: targets 1 for real and 0 for fake, on D's raw scores. */
	private NDArray gan(NDArray prediction, boolean real) {
		float target = real ? 1f : 0f;
		if (s.ganLoss == GanLoss.LSGAN) return prediction.sub(target).square().mean();
		// BCEWithLogits, written stably: max(x, 0) - x t + log(1 + exp(-|x|))
		NDArray x = prediction;
		return Activation.relu(x).sub(Scalars.times(x, target)).add(x.abs().neg().exp().add(1f).log()).mean();
	}

	/** G on the validation pairs (centred crops, image statistics, no dropout), and the first one's preview. */
	private EpochReport validate(List<TrainingPair> validation, UnetGenerator g, NDManager m) {
		EpochReport report = new EpochReport();
		double sum = 0;
		try (NoGrad ng = NoGrad.enter(); NDManager v = m.newSubManager();
			Generator gen = Generators.load(g.stateDict(), "auto", "batch", BatchNorm.Statistics.IMAGE, null, v))
		{
			for (int k = 0; k < validation.size(); k++) {
				TrainingPair p = validation.get(k);
				float[][] ab = new Jitter(s.cropSize).centred(p);
				NDArray a = v.create(ab[0], new Shape(1, s.channelsA, s.cropSize, s.cropSize));
				NDArray fake = gen.forward(a);
				float[] f = fake.toFloatArray();
				double l1 = 0;
				for (int i = 0; i < f.length; i++) l1 += Math.abs(f[i] - ab[1][i]);
				sum += l1 / f.length;
				if (k == 0) {
					report.previewA = ab[0];
					report.previewFake = f;
					report.previewB = ab[1];
					report.previewSize = s.cropSize;
				}
			}
		}
		report.validationL1 = sum / validation.size();
		return report;
	}

	/** The reference's 'linear' policy over n_epochs = epochs - epochs/2 and n_epochs_decay = epochs/2. */
	static float learningRateFactor(int epoch, int epochs) {
		int decay = epochs / 2, constant = epochs - decay;
		return 1f - Math.max(0, epoch + 1 - constant) / (float) (decay + 1);
	}

	private void save(UnetGenerator g, PatchDiscriminator d, Adam adamG, Adam adamD, State state) {
		state.adamStepsG = adamG.steps();
		state.adamStepsD = adamD.steps();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		g.stateDict().forEach((k, v) -> all.put("G." + k, v));
		d.stateDict().forEach((k, v) -> all.put("D." + k, v));
		adamG.state("adamG.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		adamD.state("adamD.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		checkpoint.write(all, state);
	}

	/** SHA-256 over the pairs' names, sizes and values, in order: the identity of the training data. */
	static String fingerprint(List<TrainingPair> pairs) {
		MessageDigest sha;
		try {
			sha = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
		ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
		for (TrainingPair p : pairs) {
			sha.update((p.name + "|" + p.width + "x" + p.height + "|" + p.channelsA + ">" + p.channelsB).getBytes(StandardCharsets.UTF_8));
			for (float[] values : new float[][] { p.a, p.b }) {
				for (float v : values) {
					if (buffer.remaining() < 4) {
						sha.update(buffer.array(), 0, buffer.position());
						buffer.clear();
					}
					buffer.putFloat(v);
				}
			}
			sha.update(buffer.array(), 0, buffer.position());
			buffer.clear();
		}
		StringBuilder hex = new StringBuilder();
		for (byte b : sha.digest()) hex.append(String.format("%02x", b));
		return hex.toString();
	}

	private State readState(String data) {
		State state = checkpoint.state(State.class);
		if (state == null) throw new GenIJException(checkpoint.file() + " is not a pix2pix training checkpoint of GenIJ.");
		if (!s.identity().equals(state.settings)) {
			throw new GenIJException("The unfinished training in " + checkpoint.file() + " used other settings (" + state.settings +
				") than these (" + s.identity() + "). Give the same settings to continue it, restart=true to discard it, or " +
				"another output name.");
		}
		if (state.data != null && !state.data.equals(data)) {
			throw new GenIJException("The unfinished training in " + checkpoint.file() + " was made with other images (other files, " +
				"or the same in other folders or directions). Give the same folders to continue it, restart=true to discard it, " +
				"or another output name.");
		}
		if (state.epoch >= s.epochs) {
			throw new GenIJException("The training in " + checkpoint.file() + " already ran " + state.epoch + " epochs; ask for more " +
				"epochs to continue it, or restart=true to start again.");
		}
		return state;
	}

	/** Status of a checkpoint file for a command's log (null if there is none). */
	public static String describe(Path checkpoint) {
		return new TrainingCheckpoint(checkpoint, STATE_KEY).describe();
	}

}
