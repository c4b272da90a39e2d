package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * NVIDIA's {@code MappingNetwork}: z (and the class embedding, when conditional), each normalised to unit
 * second moment, through {@code fc0 .. fc<n-1>} (lrelu, learning rate × 0.01) to w. {@code w_avg} is the
 * average w the training tracked: truncation pulls towards it.
 */
final class MappingNetwork extends Module {

	final int zDim, cDim, wDim;
	private final FullyConnectedLayer embed;
	private final List<FullyConnectedLayer> layers = new ArrayList<>();
	final Slot wAvg;

	MappingNetwork(int zDim, int cDim, int wDim, int numLayers, float lrMultiplier) {
		this.zDim = zDim;
		this.cDim = cDim;
		this.wDim = wDim;
		int embedFeatures = cDim > 0 ? wDim : 0;
		embed = cDim > 0 ? add("embed", new FullyConnectedLayer(cDim, embedFeatures, false, 1f, 0f)) : null;
		for (int k = 0; k < numLayers; k++) {
			int in = k == 0 ? zDim + embedFeatures : wDim;
			layers.add(add("fc" + k, new FullyConnectedLayer(in, wDim, true, lrMultiplier, 0f)));
		}
		wAvg = buffer("w_avg", Init.zeros(), wDim);
	}

	/**
	 * w for {@code z} ({@code [1, zDim]}, float32) and {@code c} (a one-hot {@code [1, cDim]}, or null for
	 * an unconditional model).
	 */
	NDArray forward(NDArray z, NDArray c) {
		NDArray x = zDim > 0 ? normalise(z) : null;
		if (cDim > 0) {
			NDArray y = normalise(embed.forward(c));
			x = x == null ? y : NDArrays.concat(new NDList(x, y), 1);
		}
		for (FullyConnectedLayer layer : layers) x = layer.forward(x);
		return x;
	}

	/** {@code normalize_2nd_moment}: x / sqrt(mean(x²) + 1e-8) over the features. */
	private static NDArray normalise(NDArray x) {
		NDArray meanSquare = Scalars.over(x.square().sum(new int[] { 1 }, true), x.getShape().get(1));
		return x.div(meanSquare.add(Scalars.of(x, 1e-8f)).sqrt());
	}
}
