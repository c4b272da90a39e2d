package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** PyTorch's {@code MaxPool2d(k, stride=k)}, optionally in ceil mode (AdaIN's VGG). */
public class MaxPool extends Module implements Layer {

	public final int kernel;
	public final boolean ceil;

	public MaxPool(int kernel, boolean ceil) {
		this.kernel = kernel;
		this.ceil = ceil;
	}

	@Override
	public NDArray forward(NDArray x) {
		NDArray y = Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(kernel, kernel), new Shape(0, 0), ceil);
		if (Trace.active()) Trace.record(this, x, y, 0);
		return y;
	}

	@Override
	protected Spatial spatial() {
		return new Spatial(kernel, kernel, 1, ceil ? 1 : kernel);
	}
}
