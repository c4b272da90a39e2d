package io.github.genij.stylegan;

import java.util.Collection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.GenIJException;

/** NVIDIA's {@code style_mixing.py}: a row's w's with the column's at the chosen indices. */
public final class StyleMixing {

	private StyleMixing() {}

	/** {@code row} ({@code [1, numWs, wDim]}) with {@code ws[:, styles] = col[:, styles]}. */
	public static NDArray mix(NDArray row, NDArray col, Collection<Integer> styles) {
		int n = (int) row.getShape().get(1);
		for (int s : styles)
			if (s < 0 || s >= n) throw new GenIJException("styles: " + s + " is not a w index of this model (0 to " + (n - 1) + ").");
		NDList parts = new NDList();
		for (int i = 0; i < n; i++) parts.add((styles.contains(i) ? col : row).get(":, " + i + ":" + (i + 1) + ", :"));
		return NDArrays.concat(parts, 1);
	}
}
