package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A layer with a {@code weight} and an optional {@code bias} (convolution, transposed convolution,
 * linear): declares them in that order, with PyTorch's default initialisation unless told otherwise.
 * <p>
 * With weight norm ({@code torch.nn.utils.weight_norm}, dim 0) the weight is not stored but computed as
 * {@code g * v / ||v||}, the norm over all axes but the first; the tensors are then {@code bias},
 * {@code weight_g} and {@code weight_v} in PyTorch's order, and training moves g and v. Checkpoints with
 * weight norm also load into the plain form: the import folds them (see {@link Module#load}).
 */
public abstract class WeightAndBias extends Module implements Layer {

	/** The stored weight; null with weight norm. */
	protected final Slot weight;
	protected final Slot bias;
	/** Weight norm's magnitude and direction; null without it. */
	private final Slot weightG, weightV;

	/** @param fanIn inputs per output, for PyTorch's default initialisation of both tensors */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs) {
		this(fanIn, hasBias, weightShape, outputs, false);
	}

	/** @param weightNorm store the weight as weight norm's g and v */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs, boolean weightNorm) {
		Init defaultInit = Init.uniformFanIn(fanIn);
		if (!weightNorm) {
			weight = parameter("weight", defaultInit, weightShape);
			bias = hasBias ? parameter("bias", defaultInit, outputs) : null;
			weightG = weightV = null;
			return;
		}
		weight = null;
		bias = hasBias ? parameter("bias", defaultInit, outputs) : null;
		long[] gShape = new long[weightShape.length];
		java.util.Arrays.fill(gShape, 1);
		gShape[0] = weightShape[0];
		weightG = parameter("weight_g", Init.ones(), gShape); // set to ||v|| once v is drawn, as weight_norm does
		weightV = parameter("weight_v", defaultInit, weightShape);
	}

	public final boolean hasWeightNorm() {
		return weightV != null;
	}

	/** Sets how training initialises the weight (v with weight norm) and the bias (PyTorch's default otherwise). */
	public WeightAndBias init(Init weightInit, Init biasInit) {
		(weight != null ? weight : weightV).initWith(weightInit);
		if (bias != null) bias.initWith(biasInit);
		return this;
	}

	/** The weight in {@code like}'s manager (and precision): the stored one, or {@code g * v / ||v||}. */
	protected final NDArray weightFor(NDArray like) {
		if (weight != null) return weight.local(like);
		NDArray v = weightV.local(like);
		return weightG.local(like).mul(v.div(rowNorms(v)));
	}

	private static NDArray rowNorms(NDArray v) {
		int[] axes = new int[v.getShape().dimension() - 1];
		for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
		return v.square().sum(axes, true).sqrt();
	}

	@Override
	protected void afterInitialise() {
		if (weightV == null) return;
		// weight_norm starts with g = ||v||, so the layer begins as the plain layer with weight v
		NDArray v = weightV.value();
		NDArray norms = rowNorms(v);
		weightG.value().close();
		weightG.value = norms.reshape(new Shape(weightG.shape()));
	}
}
