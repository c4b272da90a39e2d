package io.github.genij.style;

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
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.progress.EpochLoop;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Johnson et al.'s fast style training as pytorch/examples' {@code fast_neural_style/neural_style.py train} does it: the
 * transformer network ({@link FastStyleNetwork}) maps content crops (RGB 0..255) to stylised ones; a fixed VGG measures
 * the content loss (mean squared error of relu2_2 against the content's, times {@code contentWeight}) and the style loss
 * (mean squared error of Gram matrices, normalised by C·H·W, at relu1_2, relu2_2, relu3_3 and relu4_3 against the style
 * image's, times {@code styleWeight}); Adam. pytorch/examples uses VGG-16; GenIJ takes a VGG-19 (built-in random or a
 * file, as Gatys) at the same layers, fed in its own value convention. Several style images train one network with
 * conditional instance norm (Dumoulin et al.): step k takes style k mod S, and only that style's norm rows learn.
 */
public final class FastStyleTrainer {

	/** The reference's layers: relu1_2, relu2_2, relu3_3, relu4_3; content at relu2_2. */
	static final List<String> STYLE_LAYERS = List.of("r12", "r22", "r33", "r43");
	static final String CONTENT_LAYER = "r22";

	/** What to train; the defaults are pytorch/examples'. */
	public static final class Settings {
		public double contentWeight = 1e5, styleWeight = 1e10;
		public float lr = 1e-3f;
		public int epochs = 2, batchSize = 4, cropSize = 256;
		public long seed = 42;

		void check() {
			if (epochs < 1 || batchSize < 1) throw new GenIJException("epochs and batchsize must each be at least 1.");
			if (cropSize < 16 || cropSize % 4 != 0) throw new GenIJException("cropsize=" + cropSize + ": give a multiple of 4, at least 16.");
			if (!(contentWeight >= 0) || !(styleWeight >= 0) || !(lr > 0)) throw new GenIJException("contentweight and styleweight must be 0 or more, lr above 0.");
		}

		String identity(int styles, String features) {
			return String.format(Locale.ROOT, "fast styles=%d features=%s content=%s style=%s lr=%s batch=%d crop=%d seed=%d", styles, features,
				contentWeight, styleWeight, lr, batchSize, cropSize, seed);
		}
	}

	/** An RGB image as planes {@code [3][w*h]}, values 0..255. */
	public static final class Picture {
		public final String name;
		public final int width, height;
		public final float[] rgb;

		public Picture(String name, int width, int height, float[] rgb) {
			if (rgb.length != 3 * width * height) throw new IllegalArgumentException("sizes do not fit");
			this.name = name;
			this.width = width;
			this.height = height;
			this.rgb = rgb;
		}
	}

	public static final class StepLosses {
		public float content, style;
	}

	public static final class EpochReport {
		public int epoch;
		public double content, style;
		/** The first content image (its centred crop) through the network, per style: {@code [3, s, s]} 0..255. */
		public transient List<float[]> preview = new ArrayList<>();
		public transient float[] previewContent;
		public transient int previewSize;
	}

	public interface Listener {
		default void step(int epoch, int step, int steps, StepLosses losses) {}

		default void epoch(EpochReport report) {}
	}

	public static final class Result {
		public final Map<String, WeightTensor> network;
		public final List<EpochReport> history;

		Result(Map<String, WeightTensor> network, List<EpochReport> history) {
			this.network = network;
			this.history = history;
		}
	}

	static final class State extends TrainingCheckpoint.RunState {
		int epoch, position, epochs;
		long adamSteps;
		List<EpochReport> history = new ArrayList<>();
	}

	private static final String STATE_KEY = "genij.faststyle.state";

	private final Settings s;
	private final VggFeatures vgg;
	private final String featuresName;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;

	/**
	 * @param vgg the feature network (built-in or loaded; used, not trained)
	 * @param featuresName how the features were given (part of what a resumed run must share)
	 */
	public FastStyleTrainer(Settings settings, VggFeatures vgg, String featuresName, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.vgg = vgg;
		this.featuresName = featuresName;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	/** Trains on {@code contents} (each at least {@code cropSize} a side) towards {@code styles}. */
	public Result train(List<Picture> contents, List<Picture> styles, NDManager parent) {
		if (contents.size() < s.batchSize) {
			throw new GenIJException("There are " + contents.size() + " content images, fewer than batchsize=" + s.batchSize + ".");
		}
		for (Picture p : contents) {
			if (p.width < s.cropSize || p.height < s.cropSize) {
				throw new GenIJException(p.name + " is " + p.width + "x" + p.height + ", smaller than cropsize=" + s.cropSize + ": give a smaller crop size or larger images.");
			}
		}
		if (styles.isEmpty()) throw new GenIJException("Give at least one style image.");
		String data = fingerprint(contents, styles);
		State state = checkpoint.continued(State.class, "a fast-style", s.identity(styles.size(), featuresName), data);
		if (state != null) {
			if (state.epoch >= s.epochs) {
				throw new GenIJException("The training in " + checkpoint.file() + " already ran " + state.epoch + " epochs; ask for more epochs to continue it, " +
					"or restart=true to start again.");
			}
		}
		Map<String, WeightTensor> saved = state == null ? null : checkpoint.tensors();
		try (NDManager m = parent.newSubManager(); FastStyleNetwork net = new FastStyleNetwork(styles.size())) {
			if (state != null) {
				net.load(TrainingCheckpoint.prefixed(saved, "T."), m, "The saved network (made with other settings?)");
				progress.log("Continuing the training saved in " + checkpoint.file() + " at epoch " + (state.epoch + 1) + ", step " + (state.position + 1) + ".");
			}
			else {
				net.initialise(s.seed, m);
				state = new State();
				state.settings = s.identity(styles.size(), featuresName);
				state.data = data;
			}
			state.epochs = s.epochs;
			net.train(true);
			List<Map<String, NDArray>> grams = styleGrams(styles, m);
			try (Adam adam = new Adam(net.trainableArrays(), 0.9f, 0.999f, 1e-8f, m)) {
				if (saved != null && state.adamSteps > 0) adam.restore(TrainingCheckpoint.floats(saved, "adam"), "adam.", state.adamSteps);
				saved = null;
				loop(contents, styles.size(), grams, net, adam, state, m);
			}
			return new Result(net.stateDict(), state.history);
		}
	}

	/** Each style image's Gram matrices at the style layers, {@code [1, C, C]}. */
	private List<Map<String, NDArray>> styleGrams(List<Picture> styles, NDManager m) {
		List<Map<String, NDArray>> out = new ArrayList<>();
		for (Picture p : styles) out.add(grams(vgg, m.create(p.rgb, new Shape(1, 3, p.height, p.width))));
		return out;
	}

	/** The Gram matrices of a style image ({@code [1, 3, H, W]} RGB 0..255) at the style layers. */
	static Map<String, NDArray> grams(VggFeatures vgg, NDArray style) {
		Map<String, NDArray> grams = new LinkedHashMap<>();
		try (NoGrad g = NoGrad.enter()) {
			Map<String, NDArray> f = vgg.forward(toFeatures(style, vgg), STYLE_LAYERS);
			for (String l : STYLE_LAYERS) grams.put(l, gram(f.get(l)));
		}
		return grams;
	}

	private void loop(List<Picture> contents, int styleCount, List<Map<String, NDArray>> grams, FastStyleNetwork net, Adam adam, State state, NDManager m) {
		new EpochLoop(progress, checkpoint.file()) {
			int[] order;
			double content, style;
			int counted, steps;

			@Override
			protected int startEpoch(int epoch) {
				order = TrainingCheckpoint.shuffled(contents.size(), s.seed, epoch);
				content = style = 0;
				counted = 0;
				progress.status("Fast style epoch " + (epoch + 1) + " of " + s.epochs);
				steps = contents.size() / s.batchSize;
				return steps;
			}

			@Override
			protected void step(int epoch, int i, int stepsInEpoch) {
				Random r = new Random(TrainingCheckpoint.stepSeed(s.seed, epoch, i));
				int styleIndex = (int) (((long) epoch * steps + i) % styleCount);
				StepLosses l;
				try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray x = batch(contents, order, i, r, step);
					NDArray[] losses = losses(net, vgg, x, grams.get(styleIndex), styleIndex, s.contentWeight, s.styleWeight);
					gc.backward(losses[0].add(losses[1]));
					adam.step(s.lr);
					l = new StepLosses();
					l.content = losses[0].getFloat();
					l.style = losses[1].getFloat();
				}
				if (!Float.isFinite(l.content + l.style)) throw new GenIJException("Training diverged (content " + l.content + ", style " + l.style + "). Lower lr or the weights.");
				content += l.content;
				style += l.style;
				counted++;
				listener.step(epoch, i, stepsInEpoch, l);
			}

			@Override
			protected void endEpoch(int epoch) {
				EpochReport report = preview(contents.get(0), styleCount, net, m);
				report.epoch = epoch;
				report.content = content / Math.max(1, counted);
				report.style = style / Math.max(1, counted);
				state.history.add(report);
				progress.log(String.format(Locale.ROOT, "Epoch %d of %d: content loss %.4g, style loss %.4g", epoch + 1, s.epochs, report.content, report.style));
				listener.epoch(report);
			}

			@Override
			protected void save(int epoch, int position) {
				state.epoch = epoch;
				state.position = position;
				state.adamSteps = adam.steps();
				Map<String, WeightTensor> all = new LinkedHashMap<>();
				net.stateDict().forEach((k, v) -> all.put("T." + k, v));
				adam.state("adam.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
				checkpoint.write(all, state);
			}
		}.run(state.epoch, state.position, s.epochs);
	}

	/** Batch {@code i}: random {@code cropSize} squares of the ordered images, mirrored half the time, {@code [B, 3, s, s]} 0..255. */
	private NDArray batch(List<Picture> contents, int[] order, int i, Random r, NDManager step) {
		int c = s.cropSize, plane = c * c;
		float[] v = new float[s.batchSize * 3 * plane];
		for (int b = 0; b < s.batchSize; b++) {
			Picture p = contents.get(order[i * s.batchSize + b]);
			int x0 = r.nextInt(p.width - c + 1), y0 = r.nextInt(p.height - c + 1);
			boolean flip = r.nextBoolean();
			for (int ch = 0; ch < 3; ch++)
				for (int y = 0; y < c; y++)
					for (int x = 0; x < c; x++)
						v[(b * 3 + ch) * plane + y * c + x] = p.rgb[ch * p.width * p.height + (y0 + y) * p.width + x0 + (flip ? c - 1 - x : x)];
		}
		return step.create(v, new Shape(s.batchSize, 3, c, c));
	}

	/**
	 * The reference's losses for content crops {@code x} ({@code [B, 3, H, W]} 0..255) and one style's Grams:
	 * {content (contentWeight · MSE of relu2_2), style (styleWeight · sum of the Grams' MSE)}.
	 */
	static NDArray[] losses(FastStyleNetwork net, VggFeatures vgg, NDArray x, Map<String, NDArray> styleGrams, int style, double contentWeight,
		double styleWeight)
	{
		net.trainStyle(style);
		NDArray y = net.forward(x);
		List<String> layers = STYLE_LAYERS;
		Map<String, NDArray> fy = vgg.forward(toFeatures(y, vgg), layers), fx;
		try (NoGrad g = NoGrad.enter()) {
			fx = vgg.forward(toFeatures(x, vgg), List.of(CONTENT_LAYER));
		}
		NDArray content = Scalars.times(fy.get(CONTENT_LAYER).sub(fx.get(CONTENT_LAYER).stopGradient()).square().mean(), (float) contentWeight);
		NDArray styleLoss = null;
		for (String l : layers) {
			NDArray term = gram(fy.get(l)).sub(styleGrams.get(l)).square().mean();
			styleLoss = styleLoss == null ? term : styleLoss.add(term);
		}
		return new NDArray[] { content, Scalars.times(styleLoss, (float) styleWeight) };
	}

	/** pytorch/examples' {@code gram_matrix}: {@code F Fᵀ / (C H W)} per sample, {@code [B, C, C]}. */
	static NDArray gram(NDArray f) {
		long b = f.getShape().get(0), c = f.getShape().get(1), hw = f.getShape().get(2) * f.getShape().get(3);
		NDArray flat = f.reshape(b, c, hw);
		return Scalars.over(flat.matMul(flat.transpose(0, 2, 1)), (float) (c * hw));
	}

	/** RGB 0..255 planes as the feature network's values (its preset: channel order, scale, offset). */
	static NDArray toFeatures(NDArray rgb, VggFeatures vgg) {
		ChannelMapping map = vgg.preset().mapping(ValueRange.BYTE, 3);
		NDArray[] channels = new NDArray[3];
		for (int i = 0; i < 3; i++) {
			NDArray plane = rgb.get(":, " + i + ":" + (i + 1) + ", :, :");
			channels[map.tensorChannel(i)] = Scalars.times(plane, map.scale(i)).add(map.offset(i));
		}
		return NDArrays.concat(new NDList(channels), 1);
	}

	/** The first content image's centred crop through the network, once per style. */
	private EpochReport preview(Picture p, int styleCount, FastStyleNetwork net, NDManager m) {
		EpochReport report = new EpochReport();
		int c = Math.min(s.cropSize, Math.min(p.width, p.height)), x0 = (p.width - c) / 2, y0 = (p.height - c) / 2, plane = c * c;
		float[] crop = new float[3 * plane];
		for (int ch = 0; ch < 3; ch++)
			for (int y = 0; y < c; y++)
				System.arraycopy(p.rgb, ch * p.width * p.height + (y0 + y) * p.width + x0, crop, ch * plane + y * c, c);
		report.previewContent = crop;
		report.previewSize = c;
		try (NoGrad g = NoGrad.enter(); NDManager v = m.newSubManager()) {
			for (int k = 0; k < styleCount; k++) {
				net.trainStyle(k);
				report.preview.add(net.forward(v.create(crop, new Shape(1, 3, c, c))).toFloatArray());
			}
		}
		return report;
	}

	/** The images' names, sizes and 8-bit levels, hashed: a continued run must train on the same. */
	static String fingerprint(List<Picture> contents, List<Picture> styles) {
		List<int[]> all = new ArrayList<>();
		for (List<Picture> group : List.of(contents, styles)) {
			all.add(new int[] { group.size() });
			for (Picture p : group) {
				int[] header = new int[p.name.length() + 2];
				for (int i = 0; i < p.name.length(); i++) header[i] = p.name.charAt(i);
				header[p.name.length()] = p.width;
				header[p.name.length() + 1] = p.height;
				all.add(header);
				int[] levels = new int[p.rgb.length];
				for (int i = 0; i < levels.length; i++) levels[i] = Math.round(p.rgb[i]);
				all.add(levels);
			}
		}
		return TrainingCheckpoint.fingerprint(all);
	}
}
