package io.github.genij.pixelcnn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.EpochLoop;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Trains a PixelCNN: PixelCNN++, or one of Kolesnikov &amp; Lampert's auxiliary-variable models (their networks trained
 * together on the sum of their losses, the image's bits/dim with its auxiliary images), as pclucas14/pixel-cnn-pp's
 * {@code main.py} trains PixelCNN++: every layer weight-normed (g and v
 * trained, g starting at ||v||), dropout 0.5 on whole channels in every gated block, Adam (lr 2e-4, betas 0.9 and
 * 0.999) with the learning rate multiplied by 0.999995 after every epoch, the discretised logistic mixture's
 * negative log-likelihood as the loss. GenIJ minimises its mean in bits per dimension rather than the reference's
 * sum over the batch: the same direction, and Adam's steps hardly depend on the scale.
 * <p>
 * Bits/dim on the training images (a running mean per epoch) and on held-out images (after each epoch, dropout
 * off) are reported. A checkpoint (network, optimiser, position) is written at the end of every epoch, every few
 * minutes and when cancelled; a new run with the same checkpoint continues where the last one stopped, with the
 * same random draws ((seed, epoch, step) seeds every one).
 */
public final class PixelCnnTrainer {

	/** What to train; the defaults are the reference's, except the width and depth (its 160 filters, 5 blocks). */
	public static final class Settings {
		/** {@code pixelcnn++}, {@code grayscale} or {@code pyramid} */
		public String variant = PixelCnnFamily.PIXELCNN_PP;
		public int channels = 1, width, height;
		public int blocks = 5, filters = 160, mixtures = 10;
		/** The auxiliary-variable models' causal stacks (blocks per stream), conditioning networks and pyramid levels. */
		public int conditionalBlocks = 3, conditioningLevels = 2, conditioningBlocks = 2, pyramidLevels = 3;
		public int batch = 16, epochs = 10;
		public float lr = 2e-4f, lrDecay = 0.999995f;
		public long seed = 1;

		void check() {
			if (channels != 1 && channels != 3) throw new GenIJException("PixelCNN++ models grey or RGB images, not " + channels + " channels.");
			if (blocks < 1 || filters < 1 || mixtures < 1 || batch < 1 || epochs < 1)
				throw new GenIJException("nr_resnet, nr_filters, nr_logistic_mix, batch size and epochs must each be at least 1.");
			if (!java.util.Arrays.asList(PixelCnnFamily.PIXELCNN_PP, PixelCnnFamily.GRAYSCALE, PixelCnnFamily.PYRAMID).contains(variant))
				throw new GenIJException("Unknown PixelCNN variant '" + variant + "': pixelcnn++, grayscale or pyramid.");
			if (conditionalBlocks < 1 || conditioningLevels < 1 || conditioningBlocks < 1)
				throw new GenIJException("The conditional stacks need at least 1 block, their conditioning networks at least 1 level of 1 block.");
			if (PixelCnnFamily.PYRAMID.equals(variant) && (pyramidLevels < 2 || AuxiliaryImages.side(Math.min(width, height), pyramidLevels - 1) < 2))
				throw new GenIJException("A pyramid of " + pyramidLevels + " levels does not fit " + width + "x" + height + " images: give 2 levels or " +
					"more, with the coarsest at least 2 pixels wide (each level halves the sides).");
		}

		/** The model card's parameters: what {@link PixelCnnFamily#buildModel} builds the network from. */
		public Map<String, Object> parameters() {
			Map<String, Object> p = new LinkedHashMap<>();
			p.put("input_channels", channels);
			if (!PixelCnnFamily.PYRAMID.equals(variant)) p.put("nr_resnet", blocks);
			p.put("nr_filters", filters);
			p.put("nr_logistic_mix", mixtures);
			if (!PixelCnnFamily.PIXELCNN_PP.equals(variant)) {
				p.put(PixelCnnFamily.CONDITIONAL_BLOCKS, conditionalBlocks);
				p.put(PixelCnnFamily.CONDITIONING_LEVELS, conditioningLevels);
				p.put(PixelCnnFamily.CONDITIONING_BLOCKS, conditioningBlocks);
			}
			if (PixelCnnFamily.PYRAMID.equals(variant)) p.put(PixelCnnFamily.PYRAMID_LEVELS, pyramidLevels);
			p.put(PixelCnnFamily.WEIGHT_NORM, true);
			return p;
		}

		/** The settings a checkpoint must share to be continued (the epoch count may grow). */
		String identity() {
			String plusPlus = String.format(Locale.ROOT, "pixelcnn++ channels=%d size=%dx%d nr_resnet=%d nr_filters=%d nr_logistic_mix=%d batch=%d " +
				"lr=%s decay=%s seed=%d", channels, width, height, blocks, filters, mixtures, batch, lr, lrDecay, seed);
			if (PixelCnnFamily.PIXELCNN_PP.equals(variant)) return plusPlus;
			return variant + " " + plusPlus.substring("pixelcnn++ ".length()) + " " + parameters();
		}
	}

	/** One epoch's figures. */
	public static final class EpochReport {
		public int epoch;
		public double trainBitsPerDim, heldOutBitsPerDim = Double.NaN;
	}

	/** Hears about training as it goes (on the training thread). */
	public interface Listener {
		default void step(int epoch, int step, int steps, double bitsPerDim) {}

		default void epoch(EpochReport report) {}
	}

	/** What training produced: the state dict in the reference's layout (weight_g, weight_v), and the history. */
	public static final class Result {
		public final Map<String, WeightTensor> stateDict;
		public final List<EpochReport> history;

		Result(Map<String, WeightTensor> stateDict, List<EpochReport> history) {
			this.stateDict = stateDict;
			this.history = history;
		}
	}

	/** Where a checkpoint stands, as saved in its metadata. */
	static final class State extends TrainingCheckpoint.RunState {
		int epoch, position, epochs;
		long adamSteps;
		List<EpochReport> history = new ArrayList<>();
	}

	private static final String STATE_KEY = "genij.pixelcnn.state";
	private static final double LN2 = Math.log(2);

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;

	public PixelCnnTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	/** The network being trained: weight-normed (PixelCNN++ in the reference's layout). */
	PixelModel network() {
		return PixelCnnFamily.buildModel(s.variant, s.parameters(), true);
	}

	/**
	 * Trains on {@code images} (8-bit levels {@code [C, H, W]} of the settings' size), reporting held-out bits/dim on
	 * {@code heldOut} (may be empty).
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<int[]> images, List<int[]> heldOut, NDManager parent) {
		if (images.isEmpty()) throw new GenIJException("There are no training images.");
		int size = s.channels * s.width * s.height;
		for (int[] img : images) if (img.length != size) throw new IllegalArgumentException("an image of another size");
		String data = fingerprint(images);
		State state = checkpoint.continued(State.class, "a PixelCNN", s.identity(), data);
		try (NDManager m = parent.newSubManager(); PixelModel net = network()) {
			net.train(true);
			Map<String, WeightTensor> saved = null;
			if (state != null) {
				saved = checkpoint.tensors();
				net.load(TrainingCheckpoint.prefixed(saved, "net."), m, "The saved PixelCNN (made with other settings?)");
				if (state.epoch >= s.epochs) { // finished (it was stopped before its model was installed): nothing to train
					progress.log("The training saved in " + checkpoint.file() + " has run its " + state.epoch + " epochs already.");
					return new Result(net.stateDict(), state.history);
				}
				progress.log("Continuing the training saved in " + checkpoint.file() + " at epoch " + (state.epoch + 1) + ", step " +
					(state.position + 1) + ".");
			}
			else {
				net.initialise(s.seed, m);
				state = new State();
				state.settings = s.identity();
				state.data = data;
			}
			state.epochs = s.epochs;
			try (Adam adam = new Adam(net.trainableArrays(), 0.9f, 0.999f, 1e-8f, m)) {
				if (saved != null && state.adamSteps > 0) adam.restore(TrainingCheckpoint.floats(saved, "adam."), "adam.", state.adamSteps);
				saved = null;
				loop(images, heldOut, net, adam, state, m);
			}
			return new Result(net.stateDict(), state.history);
		}
	}

	private void loop(List<int[]> images, List<int[]> heldOut, PixelModel net, Adam adam, State state, NDManager m) {
		int n = images.size(), steps = (n + s.batch - 1) / s.batch;
		new EpochLoop(progress, checkpoint.file()) {
			float lr;
			int[] order;
			double sum;
			int counted;

			@Override
			protected int startEpoch(int epoch) {
				lr = (float) (s.lr * Math.pow(s.lrDecay, epoch));
				order = TrainingCheckpoint.shuffled(n, s.seed, epoch);
				sum = 0;
				counted = 0;
				progress.status("PixelCNN epoch " + (epoch + 1) + " of " + s.epochs);
				return steps;
			}

			@Override
			protected void step(int epoch, int i, int steps) {
				List<int[]> batch = new ArrayList<>();
				for (int k = i * s.batch; k < Math.min(n, (i + 1) * s.batch); k++) batch.add(images.get(order[k]));
				double bpd = PixelCnnTrainer.this.step(batch, net, adam, lr, new Random(TrainingCheckpoint.stepSeed(s.seed, epoch, i)), m);
				sum += bpd;
				counted++;
				listener.step(epoch, i, steps, bpd);
			}

			@Override
			protected void endEpoch(int epoch) {
				EpochReport report = new EpochReport();
				report.epoch = epoch;
				report.trainBitsPerDim = counted == 0 ? Double.NaN : sum / counted;
				if (!heldOut.isEmpty()) report.heldOutBitsPerDim = bitsPerDim(net, heldOut, m);
				state.history.add(report);
				progress.log(String.format(Locale.ROOT, "Epoch %d of %d: %.4f bits/dim on the training images, %.4f held out", epoch + 1, s.epochs,
					report.trainBitsPerDim, report.heldOutBitsPerDim));
				listener.epoch(report);
			}

			@Override
			protected void save(int epoch, int position) {
				state.epoch = epoch;
				state.position = position;
				PixelCnnTrainer.this.save(net, adam, state);
			}
		}.run(state.epoch, state.position, s.epochs);
	}

	/** One Adam step on a batch; its bits/dim. */
	private double step(List<int[]> batch, PixelModel net, Adam adam, float lr, Random r, NDManager m) {
		net.dropout(r);
		try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			Canvas images = Canvas.of(batch, s.channels, s.height, s.width);
			NDArray bpd = Scalars.over(net.nats(images, step, DataType.FLOAT32).sum(), (float) (LN2 * images.levels.length));
			gc.backward(bpd);
			adam.step(lr);
			float v = bpd.getFloat();
			if (!Float.isFinite(v)) throw new GenIJException("Training diverged (bits/dim " + v + "). Lower the learning rate or check the images.");
			return v;
		}
	}

	/** Bits per dimension over {@code images}, dropout off, in batches: what Likelihood computes. */
	double bitsPerDim(PixelModel net, List<int[]> images, NDManager m) {
		net.dropout(null);
		try (NoGrad g = NoGrad.enter()) {
			return Likelihood.bitsPerDim(net, images, s.height, s.width, s.batch, m);
		}
	}

	private void save(PixelModel net, Adam adam, State state) {
		state.adamSteps = adam.steps();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		net.stateDict().forEach((k, v) -> all.put("net." + k, v));
		adam.state("adam.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		checkpoint.write(all, state);
	}

	/** The identity of the training data. */
	static String fingerprint(List<int[]> images) {
		return TrainingCheckpoint.fingerprint(images);
	}


	/** Status of a checkpoint file for a command's log (null if there is none). */
	public static String describe(Path checkpoint) {
		return new TrainingCheckpoint(checkpoint, STATE_KEY).describe();
	}

}
