package io.github.genij.translate;

import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.TransposedConv2d;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.WeightTensor;

/**
 * The layers pix2pix and CycleGAN generators are made of, read from a reference state dict by module
 * name: convolutions, transposed convolutions, and norms (batch norm with running or image statistics,
 * or instance norm without parameters). Shared settings (statistics mode, dropout) live here too.
 */
final class GeneratorLayers implements AutoCloseable {

	/** Which batch-norm statistics to use: the stored running ones (the reference's --eval) or the image's own. */
	enum BatchStats { RUNNING, IMAGE }

	private final Map<String, WeightTensor> sd;
	private final NDManager manager;
	final boolean batchNorm;
	final BatchStats stats;
	private final Random dropout;

	GeneratorLayers(Map<String, WeightTensor> sd, boolean batchNorm, BatchStats stats, Long dropoutSeed, NDManager parent) {
		this.sd = sd;
		this.batchNorm = batchNorm;
		this.stats = stats;
		this.dropout = dropoutSeed == null ? null : new Random(dropoutSeed);
		this.manager = parent.newSubManager();
	}

	boolean has(String key) {
		return sd.containsKey(key);
	}

	long[] shape(String key) {
		WeightTensor t = sd.get(key);
		if (t == null) throw new CheckpointException("The generator checkpoint lacks '" + key + "'.");
		return t.shape();
	}

	private NDArray param(String key) {
		WeightTensor t = sd.get(key);
		if (t == null) throw new CheckpointException("The generator checkpoint lacks '" + key + "'.");
		return t.toNDArray(manager);
	}

	/** A convolution {@code <name>.weight} / optional {@code .bias}. */
	Conv conv(String name, int stride, int padding) {
		return new Conv(param(name + ".weight"), has(name + ".bias") ? param(name + ".bias") : null, stride, padding);
	}

	/** A transposed convolution, its phase kernels prepared once. */
	Deconv deconv(String name, int stride, int padding, int outputPadding) {
		NDArray w = param(name + ".weight");
		return new Deconv(TransposedConv2d.prepare(w, new int[] { stride, stride }, new int[] { padding, padding },
			new int[] { outputPadding, outputPadding }), has(name + ".bias") ? param(name + ".bias") : null);
	}

	/** The norm at {@code name}: batch norm with its parameters, or instance norm (no parameters). */
	Norm norm(String name) {
		if (!batchNorm) return x -> Normalization.instanceNorm(x);
		NDArray w = param(name + ".weight"), b = param(name + ".bias");
		NDArray mean = param(name + ".running_mean"), var = param(name + ".running_var");
		long c = w.getShape().get(0);
		return x -> {
			NDArray mu, v;
			if (stats == BatchStats.RUNNING) {
				mu = on(mean, x).reshape(1, c, 1, 1);
				v = on(var, x).reshape(1, c, 1, 1);
			}
			else { // the image's own statistics over batch, height and width, biased variance (PyTorch's training mode)
				long n = x.getShape().get(0) * x.getShape().get(2) * x.getShape().get(3);
				mu = x.sum(new int[] { 0, 2, 3 }, true).div(n);
				v = x.sub(mu).square().sum(new int[] { 0, 2, 3 }, true).div(n);
			}
			return x.sub(mu).div(v.add(Normalization.EPS).sqrt()).mul(on(w, x).reshape(1, c, 1, 1)).add(on(b, x).reshape(1, c, 1, 1));
		};
	}

	/** Dropout(0.5) at test time, as the reference runs pix2pix without --eval; the identity when off. */
	NDArray dropout(NDArray x) {
		if (dropout == null) return x;
		float[] keep = new float[(int) x.size()];
		for (int i = 0; i < keep.length; i++) keep[i] = dropout.nextBoolean() ? 2f : 0f;
		return x.mul(x.getManager().create(keep, x.getShape()).toDevice(x.getDevice(), false));
	}

	static NDArray on(NDArray a, NDArray like) {
		return a.getDevice().equals(like.getDevice()) ? a : a.toDevice(like.getDevice(), false);
	}

	@Override
	public void close() {
		manager.close();
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

	static final class Deconv {
		private final TransposedConv2d t;
		private final NDArray b;

		Deconv(TransposedConv2d t, NDArray b) {
			this.t = t;
			this.b = b;
		}

		NDArray apply(NDArray x) {
			return t.forward(x, b == null ? null : on(b, x));
		}
	}
}
