package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activations as modules, so that a {@link Sequential} numbers them as PyTorch does. */
public final class Activations {

	private Activations() {}

	public static final class ReLU extends Module implements Layer {
		@Override
		public NDArray forward(NDArray x) {
			return Activation.relu(x);
		}
	}

	public static final class LeakyReLU extends Module implements Layer {
		public final float slope;

		public LeakyReLU(float slope) {
			this.slope = slope;
		}

		@Override
		public NDArray forward(NDArray x) {
			return Activation.leakyRelu(x, slope);
		}
	}

	public static final class Tanh extends Module implements Layer {
		@Override
		public NDArray forward(NDArray x) {
			return x.tanh();
		}
	}
}
