package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Upsampling;

/** PyTorch's {@code Upsample(scale_factor=f, mode='nearest')}. */
public class Upsample extends Module implements Layer {

	public final int factor;

	public Upsample(int factor) {
		this.factor = factor;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Upsampling.nearest(x, factor);
		if (Trace.active()) Trace.record(this, x, y, 0);
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial(1, 1, factor);
	}
}
