package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Scalars;

/**
 * PyTorch's {@code BatchNorm2d} (affine, running statistics, momentum 0.1). In inference it normalises
 * with the stored running statistics, or with the statistics of the image at hand (pix2pix's default
 * test mode); a {@link StatisticsSource} can supply whole-image statistics gathered over tiles. In
 * training it uses the batch's statistics and updates the running ones and the counter as PyTorch does.
 */
public class BatchNorm extends Module implements Layer {

	/** Which statistics inference uses. */
	public enum Statistics { RUNNING, IMAGE }

	/** Supplies {@code {mean, variance}} ({@code [1, C, 1, 1]}) for {@code x}, or null to use x's own. */
	@FunctionalInterface
	public interface StatisticsSource {
		NDArray[] statistics(NDArray x);
	}

	/** PyTorch's default momentum: running = 0.9 running + 0.1 batch. */
	public static final float MOMENTUM = 0.1f;

	public final int channels;
	private final Slot weight, bias, runningMean, runningVar, batches;
	private Statistics statistics = Statistics.RUNNING;
	private StatisticsSource source;
	private boolean inPlace;

	public BatchNorm(int channels) {
		this(channels, true);
	}

	/** {@code affine = false}: PyTorch's {@code BatchNorm2d(c, affine=False)}, no weight and bias (SPADE's parameter-free norm). */
	public BatchNorm(int channels, boolean affine) {
		this.channels = channels;
		weight = affine ? parameter("weight", Init.ones(), channels) : null;
		bias = affine ? parameter("bias", Init.zeros(), channels) : null;
		runningMean = buffer("running_mean", Init.zeros(), channels);
		runningVar = buffer("running_var", Init.ones(), channels);
		batches = counter("num_batches_tracked");
	}

	public BatchNorm init(Init weightInit, Init biasInit) {
		if (weight == null) throw new IllegalStateException("a batch norm without affine parameters has nothing to initialise");
		weight.initWith(weightInit);
		bias.initWith(biasInit);
		return this;
	}

	public void use(Statistics s) {
		this.statistics = s;
	}

	public void source(StatisticsSource s) {
		this.source = s;
	}

	/**
	 * Lets inference normalise its input in place: only for networks where every input of this norm is a
	 * fresh result nothing else reads (a convolution's output). Saves three image-sized temporaries.
	 */
	public BatchNorm inPlace() {
		this.inPlace = true;
		return this;
	}

	@Override
	public NDArray forward(NDArray x) {
		long c = channels;
		NDArray mu, v;
		NDArray[] supplied = isTraining() || source == null ? null : source.statistics(x);
		if (supplied != null) {
			mu = supplied[0];
			v = supplied[1];
		}
		else if (!isTraining() && statistics == Statistics.RUNNING) {
			// libtorch's own batch norm: one pass over the image instead of three
			return ai.djl.nn.norm.BatchNorm.batchNorm(x, runningMean.on(x), runningVar.on(x), scale(x), shift(x), 1,
				MOMENTUM, Normalization.EPS, false).singletonOrThrow();
		}
		else { // the batch's own statistics over batch, height and width, biased variance
			long n = x.getShape().get(0) * x.getShape().get(2) * x.getShape().get(3);
			mu = Scalars.over(x.sum(new int[] { 0, 2, 3 }, true), n);
			v = Scalars.over(x.sub(mu).square().sum(new int[] { 0, 2, 3 }, true), n);
			if (isTraining()) updateRunning(mu, v, n);
		}
		// local views: what is computed from the weights is freed with the activations (and differentiable)
		NDArray scale = (weight != null ? weight.local(x) : scale(x)).reshape(1, c, 1, 1).div(v.add(Normalization.EPS).sqrt());
		NDArray shift = (bias != null ? bias.local(x) : shift(x)).reshape(1, c, 1, 1);
		if (inPlace && !isTraining()) return x.subi(mu).muli(scale).addi(shift);
		return x.sub(mu).mul(scale).add(shift);
	}

	/** The learned scale, or ones without affine parameters (libtorch's batch norm wants one). */
	private NDArray scale(NDArray x) {
		return weight != null ? weight.on(x) : x.getManager().ones(new ai.djl.ndarray.types.Shape(channels), x.getDataType(), x.getDevice());
	}

	private NDArray shift(NDArray x) {
		return bias != null ? bias.on(x) : x.getManager().zeros(new ai.djl.ndarray.types.Shape(channels), x.getDataType(), x.getDevice());
	}

	/** PyTorch's update; the stored variance is the unbiased one. */
	private void updateRunning(NDArray mu, NDArray v, long n) {
		if (n < 2) throw new GenIJException("Batch norm needs more than one value per channel; use a larger crop size.");
		NDArray mean = runningMean.value(), var = runningVar.value();
		try (NoGrad g = NoGrad.enter(); NDManager tmp = mean.getManager().newSubManager()) {
			NDArray m1 = mu.stopGradient().reshape(mean.getShape()), v1 = v.stopGradient().reshape(var.getShape());
			m1.tempAttach(tmp);
			v1.tempAttach(tmp);
			mean.muli(1 - MOMENTUM).addi(m1.mul(MOMENTUM));
			var.muli(1 - MOMENTUM).addi(v1.mul(MOMENTUM * n / (float) (n - 1)));
		}
		batches.count++;
	}
}
