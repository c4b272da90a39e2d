package io.github.genij.core.tiling;

import ai.djl.ndarray.NDArray;

/**
 * A network that maps an image tensor to an image tensor of the same height and width:
 * {@code [1, C, H, W]} in, {@code [1, C', H, W]} out, in network values. Intermediate arrays should be
 * made in the input's manager, which the caller closes after each tile.
 */
@FunctionalInterface
public interface ImageNetwork {

	NDArray apply(NDArray input);
}
