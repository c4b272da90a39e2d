package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Linear;
import io.github.genij.core.nn.module.Module;

/** pclucas14's {@code nin}: a (weight-normed) linear layer applied at every pixel, {@code lin_a}. */
final class Nin extends Module {

	private final Linear linear;

	Nin(int in, int out, boolean weightNorm) {
		linear = add("lin_a", new Linear(in, out, true, weightNorm));
	}

	NDArray forward(NDArray x) {
		return linear.forwardPerPixel(x);
	}
}
