package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * The 'resnet' architecture's shortcut, NVIDIA's {@code Conv2dLayer(in, out, kernel_size=1, bias=False,
 * up=2)}: a 1×1 convolution (× 1/√in), then up-sampling ×2 through the FIR filter, times the block's gain.
 */
final class SkipLayer extends Module {

	private final float weightGain;
	private final Slot resampleFilter, weight;

	SkipLayer(int in, int out) {
		this.weightGain = (float) (1 / Math.sqrt(in));
		resampleFilter = buffer("resample_filter", StyleOps.FILTER, 4, 4);
		weight = parameter("weight", Init.normal(0, 1), out, in, 1, 1);
	}

	NDArray forward(NDArray x, float gain) {
		NDArray w = Scalars.times(weight.local(x), weightGain);
		NDArray y = Convolutions.conv2d(x, w, null, 1, 0);
		y = StyleOps.upsample2(y, resampleFilter.local(x));
		return gain == 1f ? y : Scalars.times(y, gain);
	}
}
