package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * NVIDIA's {@code FullyConnectedLayer}: {@code weight [out, in]} stored divided by the learning-rate
 * multiplier and used times {@code lr_mul / √in} (equalised learning rate), {@code bias} times
 * {@code lr_mul}, then lrelu × √2 or nothing.
 */
final class FullyConnectedLayer extends Module {

	final int in, out;
	private final float weightGain, biasGain;
	private final boolean lrelu;
	private final Slot weight, bias;

	FullyConnectedLayer(int in, int out, boolean lrelu, float lrMultiplier, float biasInit) {
		this.in = in;
		this.out = out;
		this.lrelu = lrelu;
		this.weightGain = (float) (lrMultiplier / Math.sqrt(in));
		this.biasGain = lrMultiplier;
		this.weight = parameter("weight", Init.normal(0, 1 / lrMultiplier), out, in);
		this.bias = parameter("bias", biasInit == 0 ? Init.zeros() : Init.ones(), out);
	}

	NDArray forward(NDArray x) {
		NDArray w = Scalars.times(weight.local(x), weightGain);
		NDArray b = biasGain == 1f ? bias.local(x) : Scalars.times(bias.local(x), biasGain);
		return StyleOps.biasAct(x.matMul(w.transpose()), b, lrelu, lrelu ? StyleOps.LRELU_GAIN : 1f, null);
	}
}
