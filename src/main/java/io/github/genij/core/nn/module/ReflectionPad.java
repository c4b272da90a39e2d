package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Padding;

/** PyTorch's {@code ReflectionPad2d(p)}: mirror padding by p on every side. */
public class ReflectionPad extends Module implements Layer {

	public final int padding;

	public ReflectionPad(int padding) {
		this.padding = padding;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Padding.reflect(x, padding);
		if (Trace.active()) Trace.record(this, x, y, 0);
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial(1, 1, 1, padding + 1); // PyTorch: the padding must be smaller than the input
	}
}
