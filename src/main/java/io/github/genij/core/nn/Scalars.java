package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying and dividing by a constant in code that gradients flow through.
 * <p>
 * DJL's {@code x.mul(number)} and {@code x.div(number)} wrap the number in a tensor that borrows a Java
 * direct buffer, and close it as soon as the operation returns. PyTorch's autograd keeps that tensor for
 * the backward pass (the derivative of {@code x * c} is {@code c}), but once the garbage collector frees
 * the buffer, the backward pass reads freed memory: gradients turn to NaN at random steps, more often the
 * longer training runs. These constants are made by PyTorch itself ({@code full}), so the graph owns
 * them. Inference (no graph) may use DJL's number forms freely.
 */
public final class Scalars {

	private Scalars() {}

	/** A 0-d tensor holding {@code value}, of {@code like}'s type and device, in its manager. */
	public static NDArray of(NDArray like, float value) {
		return like.getManager().full(new Shape(), value, like.getDataType(), like.getDevice());
	}

	/** {@code x * value}, safe to differentiate. */
	public static NDArray times(NDArray x, float value) {
		return x.mul(of(x, value));
	}

	/** {@code x / value}, safe to differentiate. */
	public static NDArray over(NDArray x, float value) {
		return x.div(of(x, value));
	}
}
