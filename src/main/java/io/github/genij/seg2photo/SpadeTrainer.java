package io.github.genij.seg2photo;

import java.nio.file.Path;
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
 * Trains SPADE as NVlabs/SPADE's {@code train.py} does for label-driven models (no VAE, no instance map): the
 * generator with spectral norm on its blocks' convolutions and batch statistics in its SPADE norms, the multiscale
 * PatchGAN ({@link SpadeDiscriminator}) judging labels and image stacked as channels, fakes and reals in one batch;
 * hinge loss, the discriminator feature-matching loss ({@code lambda_feat}), Adam with TTUR (G at lr/2, D at 2 lr,
 * betas 0 and 0.9); per iteration one generator step, then one discriminator step on a fresh fake; the learning
 * rate constant for {@code epochs}, then falling linearly over {@code decayEpochs} ({@code niter},
 * {@code niter_decay}); the reference's xavier(0.02) initialisation.
 * <p>
 * Training stops at any time and continues exactly: a checkpoint (both networks with their spectral vectors and
 * running statistics, both optimisers, the position) at the end of every epoch, every few minutes and when
 * cancelled; every random draw is seeded by (seed, epoch, step).
 */
public final class SpadeTrainer {

	/** What to train; defaults as the reference's. */
	public static final class Settings {
		public int classes;
		public int ngf = 64, ndf = 64, layersD = 4, numD = 2;
		public SpadeGenerator.Depth depth = SpadeGenerator.Depth.NORMAL;
		public int epochs = 50, decayEpochs = 0, batchSize = 1, cropSize = 256;
		public float lambdaFeat = 10f, lambdaVgg = 10f, lr = 2e-4f;
		public long seed = 0;
		/** Whether a VGG-19 is given for the perceptual loss (the trainer is handed it). */
		boolean vgg;

		float lrG(int epoch) {
			return lr / 2 * factor(epoch);
		}

		float lrD(int epoch) {
			return lr * 2 * factor(epoch);
		}

		/** The reference's update_learning_rate: after epoch niter + k (k >= 1) the rate has fallen k / niter_decay of the way. */
		float factor(int epoch) {
			return decayEpochs == 0 ? 1f : 1f - Math.max(0, epoch - epochs) / (float) decayEpochs;
		}

		int totalEpochs() {
			return epochs + decayEpochs;
		}

		void check() {
			if (classes < 1) throw new GenIJException("The labels need at least one class.");
			if (ngf < 1 || ndf < 1) throw new GenIJException("ngf and ndf must each be at least 1.");
			if (layersD < 2 || numD < 1) throw new GenIJException("The discriminator needs at least 2 layers and 1 scale.");
			if (epochs < 1 || decayEpochs < 0) throw new GenIJException("epochs must be at least 1 and decayepochs 0 or more.");
			if (batchSize < 1) throw new GenIJException("batchsize must be at least 1.");
			int multiple = 1 << depth.ups;
			if (cropSize < multiple || cropSize % multiple != 0) {
				throw new GenIJException("cropsize=" + cropSize + " does not suit SPADE with " + depth.name().toLowerCase(Locale.ROOT) +
					" up-sampling, which makes sides that are multiples of " + multiple + ": use cropsize=" + multiple + " or a multiple of it.");
			}
			if (batchSize == 1 && cropSize == multiple) {
				throw new GenIJException("With cropsize=" + cropSize + " the generator starts from a 1x1 grid, and its batch norms need more than " +
					"one value per channel: use batchsize=2 or more, or a larger crop.");
			}
			if (!(lambdaFeat >= 0) || !(lambdaVgg >= 0) || !(lr > 0)) throw new GenIJException("lambdafeat and lambdavgg must be 0 or more and lr above 0.");
		}

		String identity() {
			return String.format(Locale.ROOT, "spade classes=%d ngf=%d ndf=%d layersD=%d numD=%d depth=%s batch=%d crop=%d feat=%s lr=%s seed=%d",
				classes, ngf, ndf, layersD, numD, depth, batchSize, cropSize, lambdaFeat, lr, seed) + (vgg ? " vgg=" + lambdaVgg : "");
		}
	}

	/** One training example: a label map and its image ({@code [3, H, W]} in -1..1). */
	public static final class Example {
		public final String name;
		public final int width, height;
		public final int[] labels;
		public final float[] rgb;

		public Example(String name, int width, int height, int[] labels, float[] rgb) {
			if (labels.length != width * height || rgb.length != 3 * width * height) throw new IllegalArgumentException("sizes do not fit");
			this.name = name;
			this.width = width;
			this.height = height;
			this.labels = labels;
			this.rgb = rgb;
		}
	}

	/** Losses of one iteration. */
	public static final class StepLosses {
		public float gan, featureMatching, vgg, dFake, dReal;
	}

	/** An epoch's means, and the preview: label maps, G's images and the real ones of the first validation examples. */
	public static final class EpochReport {
		public int epoch;
		public double gan, featureMatching, dFake, dReal, validationL1 = Double.NaN;
		/** The same L1 with every batch norm on the example's own statistics ({@code bnstats=image}). */
		public double validationL1Image = Double.NaN;
		public transient List<int[]> previewLabels = new ArrayList<>();
		public transient List<float[]> previewFake = new ArrayList<>(), previewReal = new ArrayList<>();
		public transient int previewSize;

		/** Whether the examples' own statistics gave the smaller L1 (a model whose coarsest grid sees the same labels everywhere). */
		public boolean imageStatisticsBetter() {
			return validationL1Image < validationL1;
		}
	}

	public interface Listener {
		default void step(int epoch, int step, int steps, StepLosses losses) {}

		default void epoch(EpochReport report) {}
	}

	public static final class Result {
		public final Map<String, WeightTensor> generator, discriminator;
		public final List<EpochReport> history;

		Result(Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator, List<EpochReport> history) {
			this.generator = generator;
			this.discriminator = discriminator;
			this.history = history;
		}
	}

	static final class State extends TrainingCheckpoint.RunState {
		int epoch, position, epochs;
		long adamStepsG, adamStepsD;
		List<EpochReport> history = new ArrayList<>();
	}

	private static final String STATE_KEY = "genij.spade.state";
	/** How many validation examples the preview shows. */
	static final int PREVIEWS = 4;

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;
	private final PerceptualLoss perceptual;

	public SpadeTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		this(settings, null, checkpoint, listener, progress);
	}

	/** @param vgg a VGG-19 for the reference's perceptual loss (its default), or null for none */
	public SpadeTrainer(Settings settings, io.github.genij.style.VggFeatures vgg, Path checkpoint, Listener listener, Progress progress) {
		settings.vgg = vgg != null;
		settings.check();
		this.perceptual = vgg == null ? null : new PerceptualLoss(vgg, settings.lambdaVgg);
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	SpadeGenerator generator() {
		return SpadeGenerator.forTraining(s.classes, s.ngf, s.depth);
	}

	SpadeDiscriminator discriminator() {
		return new SpadeDiscriminator(s.classes + 3, s.ndf, s.layersD, s.numD);
	}

	/**
	 * Trains on {@code examples} (each at least {@code cropSize} on both sides, labels below {@code classes}), previewing
	 * on {@code validation} (null or empty: the first examples).
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<Example> examples, List<Example> validation, NDManager parent) {
		if (examples.size() < s.batchSize) {
			throw new GenIJException("There are " + examples.size() + " training pairs, fewer than batchsize=" + s.batchSize + ".");
		}
		for (Example e : examples) requireFits(e);
		List<Example> shown = validation == null || validation.isEmpty() ? examples.subList(0, Math.min(PREVIEWS, examples.size())) : validation;
		for (Example e : shown) requireFits(e);
		String data = fingerprint(examples);
		State state = checkpoint.continued(State.class, "a SPADE", s.identity(), data);
		if (state != null) {
			if (state.epoch >= s.totalEpochs()) {
				throw new GenIJException("The training in " + checkpoint.file() + " already ran " + state.epoch + " epochs; ask for more epochs " +
					"to continue it, or restart=true to start again.");
			}
		}
		Map<String, WeightTensor> saved = state == null ? null : checkpoint.tensors();
		try (NDManager m = parent.newSubManager(); SpadeGenerator g = generator(); SpadeDiscriminator d = discriminator()) {
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
			state.epochs = s.totalEpochs();
			g.train(true);
			d.train(true);
			try (Adam adamG = new Adam(g.trainableArrays(), 0f, 0.9f, 1e-8f, m); Adam adamD = new Adam(d.trainableArrays(), 0f, 0.9f, 1e-8f, m)) {
				if (saved != null && state.adamStepsG > 0) {
					Map<String, float[]> moments = TrainingCheckpoint.floats(saved, "adam");
					adamG.restore(moments, "adamG.", state.adamStepsG);
					adamD.restore(moments, "adamD.", state.adamStepsD);
				}
				saved = null;
				loop(examples, shown, g, d, adamG, adamD, state, m);
			}
			return new Result(g.stateDict(), d.stateDict(), state.history);
		}
	}

	private void requireFits(Example e) {
		if (e.width < s.cropSize || e.height < s.cropSize) {
			throw new GenIJException(e.name + " is " + e.width + "x" + e.height + ", smaller than cropsize=" + s.cropSize +
				": give a smaller crop size (a multiple of " + (1 << s.depth.ups) + ") or larger images.");
		}
		for (int v : e.labels) {
			if (v < 0 || v >= s.classes) {
				throw new GenIJException(e.name + " has label " + v + " but the model is trained for classes 0 to " + (s.classes - 1) +
					": give classes=" + (v + 1) + " or more, or map the labels to 0.." + (s.classes - 1) + ".");
			}
		}
	}

	private void loop(List<Example> examples, List<Example> shown, SpadeGenerator g, SpadeDiscriminator d, Adam adamG, Adam adamD, State state,
		NDManager m)
	{
		new EpochLoop(progress, checkpoint.file()) {
			float lrG, lrD;
			int[] order;
			double gan, feat, dFake, dReal;
			int counted;

			@Override
			protected int startEpoch(int epoch) {
				lrG = s.lrG(epoch);
				lrD = s.lrD(epoch);
				order = TrainingCheckpoint.shuffled(examples.size(), s.seed, epoch);
				gan = feat = dFake = dReal = 0;
				counted = 0;
				progress.status("SPADE epoch " + (epoch + 1) + " of " + s.totalEpochs() + " (learning rate G " + lrG + ", D " + lrD + ")");
				return examples.size() / s.batchSize; // the reference's loader drops the last incomplete batch
			}

			@Override
			protected void step(int epoch, int i, int steps) {
				Random r = new Random(TrainingCheckpoint.stepSeed(s.seed, epoch, i));
				StepLosses l;
				try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray[] batch = batch(examples, order, i, r, step);
					l = iteration(g, d, perceptual, adamG, adamD, batch[0], batch[1], lrG, lrD, s.lambdaFeat, gc);
				}
				gan += l.gan;
				feat += l.featureMatching;
				dFake += l.dFake;
				dReal += l.dReal;
				counted++;
				listener.step(epoch, i, steps, l);
			}

			@Override
			protected void endEpoch(int epoch) {
				EpochReport report = preview(shown, g, m);
				report.epoch = epoch;
				report.gan = gan / Math.max(1, counted);
				report.featureMatching = feat / Math.max(1, counted);
				report.dFake = dFake / Math.max(1, counted);
				report.dReal = dReal / Math.max(1, counted);
				state.history.add(report);
				progress.log(String.format(Locale.ROOT, "Epoch %d of %d: G hinge %.4f, feature matching %.4f, D fake %.4f, D real %.4f, " +
					"validation L1 %.4f (running statistics) / %.4f (each image's own)", epoch + 1, s.totalEpochs(), report.gan,
					report.featureMatching, report.dFake, report.dReal, report.validationL1, report.validationL1Image));
				listener.epoch(report);
			}

			@Override
			protected void save(int epoch, int position) {
				state.epoch = epoch;
				state.position = position;
				SpadeTrainer.this.save(g, d, adamG, adamD, state);
			}
		}.run(state.epoch, state.position, s.totalEpochs());
	}

	/** Batch {@code i} of the epoch's order: one-hot labels {@code [B, classes, s, s]} and images {@code [B, 3, s, s]}, cropped and mirrored alike. */
	private NDArray[] batch(List<Example> examples, int[] order, int i, Random r, NDManager step) {
		int c = s.cropSize, n = s.batchSize, plane = c * c;
		float[] seg = new float[n * s.classes * plane], rgb = new float[n * 3 * plane];
		for (int b = 0; b < n; b++) {
			Example e = examples.get(order[i * n + b]);
			int x0 = r.nextInt(e.width - c + 1), y0 = r.nextInt(e.height - c + 1);
			boolean flip = r.nextBoolean();
			for (int y = 0; y < c; y++) {
				for (int x = 0; x < c; x++) {
					int sx = x0 + (flip ? c - 1 - x : x), src = (y0 + y) * e.width + sx, dst = y * c + x;
					seg[(b * s.classes + e.labels[src]) * plane + dst] = 1f;
					for (int k = 0; k < 3; k++) rgb[(b * 3 + k) * plane + dst] = e.rgb[k * e.width * e.height + src];
				}
			}
		}
		return new NDArray[] { step.create(seg, new Shape(n, s.classes, c, c)), step.create(rgb, new Shape(n, 3, c, c)) };
	}

	/**
	 * One iteration of the reference's {@code train.py}: the generator's step, then the discriminator's on a fake made
	 * anew without gradients (which, in training mode, moves the generator's spectral vectors and running statistics
	 * once more, as the reference's does).
	 */
	static StepLosses iteration(SpadeGenerator g, SpadeDiscriminator d, PerceptualLoss perceptual, Adam adamG, Adam adamD, NDArray seg,
		NDArray real, float lrG, float lrD, float lambdaFeat, GradientCollector gc)
	{
		StepLosses l = new StepLosses();
		NDArray[] gLoss = generatorLoss(g, d, seg, real, lambdaFeat);
		NDArray total = gLoss[1].add(gLoss[2]);
		if (perceptual != null) {
			NDArray vgg = perceptual.loss(gLoss[0], real);
			l.vgg = vgg.getFloat();
			total = total.add(vgg);
		}
		gc.backward(total);
		adamG.step(lrG);
		adamD.zeroGradients(); // the generator's loss reached the discriminator too
		l.gan = gLoss[1].getFloat();
		l.featureMatching = gLoss[2].getFloat();
		NDArray[] dLoss = discriminatorLoss(g, d, seg, real);
		gc.backward(dLoss[0].add(dLoss[1]));
		adamD.step(lrD);
		l.dFake = dLoss[0].getFloat();
		l.dReal = dLoss[1].getFloat();
		if (!Float.isFinite(l.gan + l.featureMatching + l.dFake + l.dReal)) {
			throw new GenIJException("Training diverged (G " + l.gan + ", feature matching " + l.featureMatching + ", D " + (l.dFake + l.dReal) +
				"). Lower the learning rate or check the images.");
		}
		return l;
	}

	/**
	 * The reference's {@code compute_generator_loss}: {fake, hinge towards real (-mean D(fake), averaged over the scales),
	 * feature matching (L1 between every intermediate output for fake and for the detached real, lambda / num_D)}.
	 */
	static NDArray[] generatorLoss(SpadeGenerator g, SpadeDiscriminator d, NDArray seg, NDArray real, float lambdaFeat) {
		NDArray fake = g.forward(seg, null);
		List<Judged> pred = discriminate(d, seg, fake, real);
		NDArray gan = null, feat = null;
		for (Judged scale : pred) {
			NDArray term = scale.fakeScore().mean().neg();
			gan = gan == null ? term : gan.add(term);
			for (int j = 0; j < scale.fake.size() - 1; j++) {
				NDArray f = scale.fake.get(j).sub(scale.real.get(j).stopGradient()).abs().mean();
				feat = feat == null ? f : feat.add(f);
			}
		}
		return new NDArray[] { fake, Scalars.over(gan, pred.size()), Scalars.times(feat, lambdaFeat / pred.size()) };
	}

	/**
	 * The reference's {@code compute_discriminator_loss}: a fake made without gradients, then the hinge losses
	 * {mean(relu(1 + D(fake))), mean(relu(1 - D(real)))}, each averaged over the scales.
	 */
	static NDArray[] discriminatorLoss(SpadeGenerator g, SpadeDiscriminator d, NDArray seg, NDArray real) {
		NDArray fake;
		try (NoGrad ng = NoGrad.enter()) {
			fake = g.forward(seg, null).stopGradient();
		}
		NDArray lossFake = null, lossReal = null;
		List<Judged> pred = discriminate(d, seg, fake, real);
		for (Judged scale : pred) {
			NDArray f = Activation.relu(scale.fakeScore().add(1f)).mean();
			NDArray r = Activation.relu(scale.realScore().neg().add(1f)).mean();
			lossFake = lossFake == null ? f : lossFake.add(f);
			lossReal = lossReal == null ? r : lossReal.add(r);
		}
		return new NDArray[] { Scalars.over(lossFake, pred.size()), Scalars.over(lossReal, pred.size()) };
	}

	/** One discriminator scale's outputs for the fakes and for the reals: every group's, the last being the score map. */
	static final class Judged {
		final List<NDArray> fake = new ArrayList<>(), real = new ArrayList<>();

		NDArray fakeScore() {
			return fake.get(fake.size() - 1);
		}

		NDArray realScore() {
			return real.get(real.size() - 1);
		}
	}

	/** The reference's {@code discriminate}: fakes and reals in one batch, split again per scale. */
	static List<Judged> discriminate(SpadeDiscriminator d, NDArray seg, NDArray fake, NDArray real) {
		long n = seg.getShape().get(0);
		NDArray both = NDArrays.concat(new NDList(NDArrays.concat(new NDList(seg, fake), 1), NDArrays.concat(new NDList(seg, real), 1)), 0);
		List<Judged> out = new ArrayList<>();
		for (List<NDArray> scale : d.forward(both)) {
			Judged j = new Judged();
			for (NDArray t : scale) {
				j.fake.add(t.get("0:" + n));
				j.real.add(t.get(n + ":"));
			}
			out.add(j);
		}
		return out;
	}

	/**
	 * G in inference (stored spectral vectors) on the centred crops of {@code shown}: the L1 to the photo with the
	 * running statistics (the reference's test mode) and with each example's own ({@code bnstats=image}); the preview
	 * shows the better.
	 */
	private EpochReport preview(List<Example> shown, SpadeGenerator g, NDManager m) {
		EpochReport report = new EpochReport();
		int c = s.cropSize, plane = c * c;
		double[] sum = new double[2];
		List<List<float[]>> fakes = List.of(new ArrayList<>(), new ArrayList<>()); // running, image statistics
		g.train(false);
		try (NoGrad ng = NoGrad.enter(); NDManager v = m.newSubManager()) {
			for (Example e : shown) {
				int x0 = (e.width - c) / 2, y0 = (e.height - c) / 2;
				int[] labels = new int[plane];
				float[] seg = new float[s.classes * plane], real = new float[3 * plane];
				for (int y = 0; y < c; y++) {
					for (int x = 0; x < c; x++) {
						int src = (y0 + y) * e.width + x0 + x, dst = y * c + x;
						labels[dst] = e.labels[src];
						seg[e.labels[src] * plane + dst] = 1f;
						for (int k = 0; k < 3; k++) real[k * plane + dst] = e.rgb[k * e.width * e.height + src];
					}
				}
				for (int mode = 0; mode < 2; mode++) {
					for (BatchNorm bn : g.modulesOf(BatchNorm.class)) bn.use(mode == 0 ? BatchNorm.Statistics.RUNNING : BatchNorm.Statistics.IMAGE);
					float[] fake = g.forward(v.create(seg, new Shape(1, s.classes, c, c)), null).toFloatArray();
					double l1 = 0;
					for (int i = 0; i < fake.length; i++) l1 += Math.abs(fake[i] - real[i]);
					sum[mode] += l1 / fake.length;
					if (fakes.get(mode).size() < PREVIEWS) fakes.get(mode).add(fake);
				}
				if (report.previewLabels.size() < PREVIEWS) {
					report.previewLabels.add(labels);
					report.previewReal.add(real);
				}
			}
		}
		finally {
			for (BatchNorm bn : g.modulesOf(BatchNorm.class)) bn.use(BatchNorm.Statistics.RUNNING);
			g.train(true);
		}
		report.previewSize = c;
		report.validationL1 = sum[0] / shown.size();
		report.validationL1Image = sum[1] / shown.size();
		report.previewFake.addAll(fakes.get(report.imageStatisticsBetter() ? 1 : 0));
		return report;
	}

	private void save(SpadeGenerator g, SpadeDiscriminator d, Adam adamG, Adam adamD, State state) {
		state.adamStepsG = adamG.steps();
		state.adamStepsD = adamD.steps();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		g.stateDict().forEach((k, v) -> all.put("G." + k, v));
		d.stateDict().forEach((k, v) -> all.put("D." + k, v));
		adamG.state("adamG.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		adamD.state("adamD.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		checkpoint.write(all, state);
	}

	/** The examples' names, sizes, labels and values, hashed: a continued run must train on the same. */
	static String fingerprint(List<Example> examples) {
		List<int[]> images = new ArrayList<>();
		for (Example e : examples) {
			int[] header = new int[e.name.length() + 2];
			for (int i = 0; i < e.name.length(); i++) header[i] = e.name.charAt(i);
			header[e.name.length()] = e.width;
			header[e.name.length() + 1] = e.height;
			images.add(header);
			images.add(e.labels);
			int[] high = new int[e.labels.length], levels = new int[e.rgb.length];
			for (int i = 0; i < high.length; i++) high[i] = e.labels[i] >> 8; // 16-bit labels: the fingerprint takes bytes
			for (int i = 0; i < levels.length; i++) levels[i] = Math.round((e.rgb[i] + 1) * 127.5f); // the images' 8-bit levels
			images.add(high);
			images.add(levels);
		}
		return TrainingCheckpoint.fingerprint(images);
	}

	/** Status of a checkpoint file for a command's log (null if there is none). */
	public static String describe(Path checkpoint) {
		return new TrainingCheckpoint(checkpoint, STATE_KEY).describe();
	}
}
