package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/** NVIDIA's {@code ToRGBLayer}: a 1×1 modulated convolution without demodulation, styles × 1/√in, bias, clamp. */
final class ToRgbLayer extends Module {

	private final float weightGain;
	private final Float convClamp;
	private final FullyConnectedLayer affine;
	private final Slot weight, bias;

	ToRgbLayer(int in, int channels, int wDim, Float convClamp) {
		this.weightGain = (float) (1 / Math.sqrt(in));
		this.convClamp = convClamp;
		affine = add("affine", new FullyConnectedLayer(wDim, in, false, 1f, 1f));
		weight = parameter("weight", Init.normal(0, 1), channels, in, 1, 1);
		bias = parameter("bias", Init.zeros(), channels);
	}

	NDArray forward(NDArray x, NDArray w) {
		return step(x, in -> {
			NDArray styles = Scalars.times(affine.forward(w), weightGain);
			NDArray y = StyleOps.modulatedConv(in, weight.local(in), styles, false, 1, null);
			return StyleOps.biasAct(y, bias.local(y), false, 1f, convClamp);
		});
	}
}
