package io.github.genij.translate;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.TransposedConv2d;
import io.github.genij.core.tiling.ImageNetwork;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.WeightTensor;

/**
 * The layers pix2pix and CycleGAN generators (and pix2pix's PatchGAN) are made of, looked up by the
 * reference's module names: convolutions, transposed convolutions, and norms (batch norm with running or
 * image statistics, or instance norm without parameters). Shared settings (statistics mode, dropout)
 * live here too.
 * <p>
 * Two uses: inference from a checkpoint (parameters copied into a manager of their own, transposed
 * kernels prepared once), and training, where the parameters are the trainer's live arrays: kernels are
 * rearranged on every call so that gradients reach them, and batch norm updates its running statistics
 * as PyTorch's training mode does.
 */
final class GeneratorLayers implements AutoCloseable {

	/** Which batch-norm statistics to use: the stored running ones (the reference's --eval) or the image's own. */
	enum BatchStats { RUNNING, IMAGE }

	/** PyTorch's default batch-norm momentum: running = 0.9 running + 0.1 batch. */
	static final float MOMENTUM = 0.1f;

	private final Map<String, WeightTensor> stored;
	private final Map<String, NDArray> params;
	private final NDManager manager;
	final boolean batchNorm;
	final BatchStats stats;
	private final boolean training;
	private final Random dropout;
	/** Batch norms made so far (each is called once per forward pass, in the order they were made). */
	private int norms;
	/** Set once the generator is run in windows with the image's statistics; null: each forward uses its own. */
	private WholeImageBatchNorm wholeImage;

	/** Inference: the state dict's tensors are copied, as they are needed, into a manager closed with this. */
	GeneratorLayers(Map<String, WeightTensor> sd, boolean batchNorm, BatchStats stats, Long dropoutSeed, NDManager parent) {
		this.manager = parent.newSubManager();
		this.stored = sd;
		this.params = new HashMap<>();
		this.batchNorm = batchNorm;
		this.stats = stats;
		this.training = false;
		this.dropout = dropoutSeed == null ? null : new Random(dropoutSeed);
	}

	/**
	 * Training: {@code params} are used as they are (not copied), batch norm uses and updates statistics,
	 * dropout draws from {@code random}.
	 */
	GeneratorLayers(Map<String, NDArray> params, boolean batchNorm, Random random, NDManager parent) {
		this.manager = parent.newSubManager();
		this.stored = Map.of();
		this.params = params;
		this.batchNorm = batchNorm;
		this.stats = BatchStats.IMAGE;
		this.training = true;
		this.dropout = random;
	}

	boolean has(String key) {
		return params.containsKey(key) || stored.containsKey(key);
	}

	long[] shape(String key) {
		return param(key).getShape().getShape();
	}

	private NDArray param(String key) {
		NDArray t = params.get(key);
		if (t != null) return t;
		WeightTensor w = stored.get(key);
		if (w == null) throw new CheckpointException("The generator checkpoint lacks '" + key + "'.");
		t = w.toNDArray(manager);
		params.put(key, t);
		return t;
	}

	/** A convolution {@code <name>.weight} / optional {@code .bias}. */
	Conv conv(String name, int stride, int padding) {
		return new Conv(param(name + ".weight"), has(name + ".bias") ? param(name + ".bias") : null, stride, padding);
	}

	/** A transposed convolution: phase kernels prepared once for inference, on every call in training. */
	Deconv deconv(String name, int stride, int padding, int outputPadding) {
		NDArray w = param(name + ".weight");
		int[] s = { stride, stride }, p = { padding, padding }, op = { outputPadding, outputPadding };
		NDArray b = has(name + ".bias") ? param(name + ".bias") : null;
		if (training) return x -> TransposedConv2d.apply(x, local(w, x), b == null ? null : local(b, x), s, p, op);
		TransposedConv2d t = TransposedConv2d.prepare(w, s, p, op);
		return x -> t.forward(x, b == null ? null : local(b, x));
	}

	/** The norm at {@code name}: batch norm with its parameters, or instance norm (no parameters). */
	Norm norm(String name) {
		if (!batchNorm) return x -> Normalization.instanceNorm(x);
		NDArray w = param(name + ".weight"), b = param(name + ".bias");
		NDArray mean = param(name + ".running_mean"), var = param(name + ".running_var");
		long c = w.getShape().get(0);
		norms++;
		return x -> {
			NDArray mu, v;
			NDArray[] whole = wholeImage == null ? null : wholeImage.statistics(x);
			if (whole != null) {
				mu = whole[0];
				v = whole[1];
			}
			else if (stats == BatchStats.RUNNING) {
				mu = local(mean, x).reshape(1, c, 1, 1);
				v = local(var, x).reshape(1, c, 1, 1);
			}
			else { // the image's own statistics over batch, height and width, biased variance (PyTorch's training mode)
				long n = x.getShape().get(0) * x.getShape().get(2) * x.getShape().get(3);
				mu = Scalars.over(x.sum(new int[] { 0, 2, 3 }, true), n);
				v = Scalars.over(x.sub(mu).square().sum(new int[] { 0, 2, 3 }, true), n);
				if (training) updateRunning(mean, var, mu, v, n);
			}
			NDArray scale = local(w, x).reshape(1, c, 1, 1).div(v.add(Normalization.EPS).sqrt());
			NDArray shift = local(b, x).reshape(1, c, 1, 1);
			// In inference x is always a convolution's fresh output that nothing else reads: normalising it
			// in place saves three image-sized temporaries per norm. Autograd needs x as it was.
			if (!training) return x.subi(mu).muli(scale).addi(shift);
			return x.sub(mu).mul(scale).add(shift);
		};
	}

	/**
	 * The generator's forward pass as the tiled runner should drive it: with batch norm on the image's own
	 * statistics, those of the whole image are gathered over its windows before the output pass.
	 */
	ImageNetwork network(ImageNetwork forward) {
		if (training || !batchNorm || stats != BatchStats.IMAGE) return forward;
		if (wholeImage == null) wholeImage = new WholeImageBatchNorm(norms);
		return wholeImage.network(forward);
	}

	/** PyTorch's running-statistics update; the stored variance is the unbiased one. */
	private void updateRunning(NDArray mean, NDArray var, NDArray mu, NDArray v, long n) {
		if (n < 2) throw new GenIJException("Batch norm needs more than one value per channel; use a larger crop size.");
		try (NoGrad g = NoGrad.enter(); NDManager tmp = mean.getManager().newSubManager()) {
			NDArray m1 = mu.stopGradient().reshape(mean.getShape()), v1 = v.stopGradient().reshape(var.getShape());
			m1.tempAttach(tmp);
			v1.tempAttach(tmp);
			mean.muli(1 - MOMENTUM).addi(m1.mul(MOMENTUM));
			var.muli(1 - MOMENTUM).addi(v1.mul(MOMENTUM * n / (float) (n - 1)));
		}
	}

	/**
	 * {@code f(x)}, in inference with its intermediate arrays freed as soon as it returns: DJL would keep
	 * every op's result until the tile's manager closes, several times the activations one layer needs.
	 * In training autograd needs them all, and they stay.
	 */
	NDArray step(NDArray x, UnaryOperator<NDArray> f) {
		return training ? f.apply(x) : Scoped.apply(x, f);
	}

	/** {@link #step}, then frees {@code x} (in inference), which the caller no longer needs. */
	NDArray stepAndFree(NDArray x, UnaryOperator<NDArray> f) {
		NDArray y = step(x, f);
		if (!training) x.close();
		return y;
	}

	/** Dropout(0.5) at test time, as the reference runs pix2pix without --eval; the identity when off. */
	NDArray dropout(NDArray x) {
		if (dropout == null) return x;
		float[] keep = new float[(int) x.size()];
		for (int i = 0; i < keep.length; i++) keep[i] = dropout.nextBoolean() ? 2f : 0f;
		return x.mul(x.getManager().create(keep, x.getShape()).toDevice(x.getDevice(), false));
	}

	/**
	 * {@code a} (on {@code like}'s device) as an array of {@code like}'s manager, so that what is computed
	 * from it is freed with the activations, not kept with the parameters until they close.
	 */
	static NDArray local(NDArray a, NDArray like) {
		NDArray view = a.getDevice().equals(like.getDevice()) ? a.reshape(a.getShape()) : a.toDevice(like.getDevice(), true);
		view.attach(like.getManager());
		return view;
	}

	static NDArray on(NDArray a, NDArray like) {
		return a.getDevice().equals(like.getDevice()) ? a : a.toDevice(like.getDevice(), false);
	}

	@Override
	public void close() {
		manager.close(); // in training the parameters belong to the trainer, not to this manager
	}

	interface Norm {
		NDArray apply(NDArray x);
	}

	static final class Conv {
		private final NDArray w, b;
		private final int stride, padding;

		Conv(NDArray w, NDArray b, int stride, int padding) {
			this.w = w;
			this.b = b;
			this.stride = stride;
			this.padding = padding;
		}

		NDArray apply(NDArray x) {
			return Conv2d.conv2d(x, on(w, x), b == null ? null : on(b, x), new Shape(stride, stride), new Shape(padding, padding),
				new Shape(1, 1)).get(0);
		}

		long outChannels() {
			return w.getShape().get(0);
		}

		long inChannels() {
			return w.getShape().get(1);
		}
	}

	interface Deconv {
		NDArray apply(NDArray x);
	}
}
