package io.github.genij.core.nn.module;

/**
 * A layer with a {@code weight} and an optional {@code bias} (convolution, transposed convolution,
 * linear): declares them in that order, with PyTorch's default initialisation unless told otherwise.
 */
public abstract class WeightAndBias extends Module implements Layer {

	protected final Slot weight, bias;

	/** @param fanIn inputs per output, for PyTorch's default initialisation of both tensors */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs) {
		Init defaultInit = Init.uniformFanIn(fanIn);
		weight = parameter("weight", defaultInit, weightShape);
		bias = hasBias ? parameter("bias", defaultInit, outputs) : null;
	}

	/** Sets how training initialises the weight and the bias (PyTorch's default otherwise). */
	public WeightAndBias init(Init weightInit, Init biasInit) {
		weight.initWith(weightInit);
		if (bias != null) bias.initWith(biasInit);
		return this;
	}
}
