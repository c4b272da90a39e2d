package io.github.genij.style;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Lbfgs;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;

/**
 * Gatys et al.'s style transfer: an image is optimised so that its VGG features match the content
 * image's at the content layer and the Gram matrices of its features match the style image's at the
 * style layers. Follows Gatys' reference code: Gram = F F^T / (h w), mean squared errors, style layer
 * weights 1e3 / n^2 (n the layer's channels), L-BFGS run in steps of 20 evaluations from the content
 * image.
 * <p>
 * Images are {@code [1, 3, H, W]} tensors in the network's value preset. The best image seen is kept, so
 * a cancelled run still returns something useful.
 */
public final class GatysTransfer {

	/** What the user chooses. */
	public static final class Settings {
		/** Objective evaluations (Gatys counts these) at the finest level. */
		public int iterations = 500;
		public double contentWeight = 1, styleWeight = 1;
		public boolean lbfgs = true;
		/** Start from the content image, or from noise. */
		public boolean initFromContent = true;
		public long seed = 1;
		public List<String> styleLayers = Arrays.asList("r11", "r21", "r31", "r41", "r51");
		public String contentLayer = "r42";
		/** Images whose longer side exceeds this are first optimised at half size (repeatedly), then refined. */
		public int coarseSide = 512;
		/** The listener gets a preview image every this many evaluations (0: never). */
		public int previewEvery = 50;
	}

	/** Told about every evaluation; may look at the current image on preview evaluations. */
	public interface Listener {
		void evaluated(int level, int evaluation, double loss, NDArray previewOrNull);
	}

	/** The outcome: the best image (in the caller's manager), its loss, the loss history, whether stopped early. */
	public static final class Result {
		public final NDArray image;
		public final double loss;
		public final List<Double> losses;
		public final boolean stoppedEarly;

		Result(NDArray image, double loss, List<Double> losses, boolean stoppedEarly) {
			this.image = image;
			this.loss = loss;
			this.losses = losses;
			this.stoppedEarly = stoppedEarly;
		}
	}

	private GatysTransfer() {}

	public static Result run(VggFeatures net, NDArray content, NDArray style, Settings s, Progress progress,
		Listener listener, NDManager manager)
	{
		long h = content.getShape().get(2), w = content.getShape().get(3);
		int levels = 1;
		while (Math.max(h, w) / (1L << (levels - 1)) > s.coarseSide && levels < 6) levels++;
		int unit = 1 << (levels - 1);
		requireSides(net, content, style, unit);
		long ph = (unit - h % unit) % unit, pw = (unit - w % unit) % unit;
		// Halving needs sides divisible by 2^(levels-1): mirror-pad, and crop the result at the end.
		NDArray paddedContent = ph + pw == 0 ? content : Padding.reflect(content, 0, (int) pw, 0, (int) ph);
		List<Double> losses = new ArrayList<>();
		NDArray current = null;
		Result last = null;
		for (int level = levels - 1; level >= 0; level--) {
			int factor = 1 << level;
			NDArray c = downsample(paddedContent, factor), st = downsample(style, factor);
			NDArray init = current == null ? (s.initFromContent ? c : noiseLike(c, s.seed, net)) : Upsampling.bilinear(current, 2);
			int budget = s.iterations;
			progress.log(String.format("level %d of %d: %dx%d, %d evaluations", levels - level, levels, c.getShape().get(3),
				c.getShape().get(2), budget));
			last = optimiseOneLevel(net, c, st, init, s, budget, levels - 1 - level, progress, listener, losses, manager);
			current = last.image;
			if (last.stoppedEarly) break;
		}
		NDArray image = current;
		if (ph + pw > 0) image = image.get(":, :, 0:" + h + ", 0:" + w);
		image.attach(manager);
		return new Result(image, last.loss, losses, last.stoppedEarly);
	}

	/**
	 * Refuses images the VGG cannot take (its poolings need a least side): the content at full size,
	 * the style at the coarsest level's scale, where it is shrunk like the content.
	 */
	private static void requireSides(VggFeatures net, NDArray content, NDArray style, int unit) {
		int least = io.github.genij.core.nn.module.ReceptiveField.of(net).minimumSide;
		long ch = content.getShape().get(2), cw = content.getShape().get(3);
		long sh = style.getShape().get(2), sw = style.getShape().get(3);
		if (Math.min(ch, cw) < least) {
			throw new GenIJException("The content image is " + cw + "x" + ch + " px; Gatys needs at least " + least +
				" px per side (the VGG's poolings). Use a larger image.");
		}
		if (Math.min(sh, sw) / unit < least) {
			throw new GenIJException("The style image is " + sw + "x" + sh + " px; Gatys needs at least " + least * unit +
				" px per side for this content (it is shrunk by " + unit + " with the content's coarsest level, and the VGG " +
				"needs " + least + "). Use a larger style image" + (unit > 1 ? " or a larger coarseside." : "."));
		}
	}

	private static NDArray downsample(NDArray x, int factor) {
		if (factor == 1) return x;
		return Pool.avgPool2d(x, new Shape(factor, factor), new Shape(factor, factor), new Shape(0, 0), false, true);
	}

	private static NDArray noiseLike(NDArray like, long seed, VggFeatures net) {
		java.util.Random r = new java.util.Random(seed);
		float[] v = new float[(int) like.size()];
		// uniform noise over the image's full black-to-white range, in the network's values
		io.github.genij.core.tensor.ChannelMapping map = net.preset().mapping(io.github.genij.core.tensor.ValueRange.UNIT, 3);
		int plane = (int) (like.size() / 3);
		for (int i = 0; i < v.length; i++) {
			int c = map.tensorChannel(i / plane);
			v[i] = map.scale(c) * r.nextFloat() + map.offset(c);
		}
		return like.getManager().create(v, like.getShape()).toDevice(like.getDevice(), false);
	}

	private static Result optimiseOneLevel(VggFeatures net, NDArray content, NDArray style, NDArray init, Settings s,
		int budget, int level, Progress progress, Listener listener, List<Double> losses, NDManager outer)
	{
		try (NDManager m = outer.newSubManager()) {
			List<String> all = new ArrayList<>(s.styleLayers);
			if (!all.contains(s.contentLayer)) all.add(s.contentLayer);
			Map<String, NDArray> styleTargets = new LinkedHashMap<>();
			Map<String, Double> styleWeights = new LinkedHashMap<>();
			NDArray contentTarget;
			try (NoGrad g = NoGrad.enter(); NDManager targets = m.newSubManager()) {
				style.tempAttach(targets);
				content.tempAttach(targets);
				Map<String, NDArray> sf = net.forward(style, s.styleLayers);
				for (String l : s.styleLayers) {
					NDArray gram = gram(sf.get(l));
					gram.attach(m);
					styleTargets.put(l, gram);
					long n = net.channels(l);
					styleWeights.put(l, s.styleWeight * 1e3 / (n * n));
				}
				contentTarget = net.forward(content, List.of(s.contentLayer)).get(s.contentLayer);
				contentTarget.attach(m);
			}
			NDArray image = init.duplicate();
			image.attach(m);
			image.setRequiresGradient(true);
			Best best = new Best();
			int[] count = { 0 };
			Lbfgs.Objective objective = () -> {
				progress.checkCancelled();
				double loss;
				try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					// the activations of this evaluation live in `step`, freed right after the backward pass
					image.tempAttach(step);
					Map<String, NDArray> f = net.forward(image, all);
					// float weights: a double would promote the loss to float64
					NDArray total = Scalars.times(f.get(s.contentLayer).sub(contentTarget).square().mean(), (float) s.contentWeight);
					for (String l : s.styleLayers) {
						float weight = styleWeights.get(l).floatValue();
						total = total.add(Scalars.times(gram(f.get(l)).sub(styleTargets.get(l)).square().mean(), weight));
					}
					total.attach(step);
					gc.backward(total);
					loss = total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
				}
				if (!Double.isFinite(loss)) {
					throw new GenIJException("The optimisation diverged (loss " + loss + "). Lower styleweight or " +
						"contentweight, or use optimizer=lbfgs.");
				}
				count[0]++;
				losses.add(loss);
				if (loss < best.loss) best.keep(image, loss, m);
				boolean preview = s.previewEvery > 0 && count[0] % s.previewEvery == 0;
				if (listener != null) listener.evaluated(level, count[0], loss, preview ? image : null);
				progress.progress(count[0], budget);
				return loss;
			};
			boolean stopped = false;
			try {
				if (s.lbfgs) lbfgs(image, objective, budget, count);
				else adam(image, objective, budget, count, net);
			}
			catch (CancelledException e) {
				stopped = true;
				progress.log("Stopped after " + count[0] + " evaluations; keeping the best image so far.");
			}
			if (best.image == null) throw new CancelledException();
			NDArray result = best.image.duplicate();
			result.attach(outer);
			return new Result(result, best.loss, losses, stopped);
		}
	}

	/** Gatys' reference loop: L-BFGS steps of up to 20 evaluations until the budget is spent. */
	private static void lbfgs(NDArray image, Lbfgs.Objective objective, int budget, int[] count) {
		Lbfgs.Options o = new Lbfgs.Options();
		try (Lbfgs opt = new Lbfgs(List.of(image), o)) {
			while (count[0] < budget) {
				o.maxIter = Math.min(20, budget - count[0]);
				o.maxEval = o.maxIter;
				int before = count[0];
				opt.step(objective);
				if (count[0] == before) break; // converged: the gradient vanished
			}
		}
	}

	private static void adam(NDArray image, Lbfgs.Objective objective, int budget, int[] count, VggFeatures net) {
		// a step of about 1% of the black-to-white range, in the network's units
		float range = Math.abs(net.preset().mapping(io.github.genij.core.tensor.ValueRange.UNIT, 3).scale(0));
		Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f * range)).build();
		while (count[0] < budget) {
			objective.evaluate();
			try (NoGrad g = NoGrad.enter(); NDArray grad = image.getGradient()) {
				adam.update("image", image, grad);
				grad.muli(0);
			}
		}
	}

	/** Gram matrix of {@code [1, C, H, W]} features, divided by H*W as in Gatys' code. */
	static NDArray gram(NDArray f) {
		long c = f.getShape().get(1), hw = f.getShape().get(2) * f.getShape().get(3);
		NDArray flat = f.reshape(c, hw);
		return Scalars.over(flat.matMul(flat.transpose()), hw);
	}

	private static final class Best {
		NDArray image;
		double loss = Double.POSITIVE_INFINITY;

		void keep(NDArray current, double l, NDManager m) {
			try (NoGrad g = NoGrad.enter()) {
				if (image != null) image.close();
				image = current.duplicate();
				image.attach(m);
				loss = l;
			}
		}
	}
}
