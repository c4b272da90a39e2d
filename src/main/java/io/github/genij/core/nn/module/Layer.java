package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;

/** A module with one input and one output, the kind a {@link Sequential} chains. */
public interface Layer {

	NDArray forward(NDArray x);
}
