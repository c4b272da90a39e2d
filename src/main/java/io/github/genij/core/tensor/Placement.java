package io.github.genij.core.tensor;

import ai.djl.ndarray.NDArray;

/** Where an array lives relative to another: the one place that moves weights or statistics to the input's device. */
public final class Placement {

	private Placement() {}

	/** {@code a} on {@code like}'s device: {@code a} itself when it is there already (no copy), else a copy. */
	public static NDArray on(NDArray a, NDArray like) {
		return a.getDevice().equals(like.getDevice()) ? a : a.toDevice(like.getDevice(), false);
	}
}
