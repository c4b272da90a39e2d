package io.github.genij.seg2photo;

import java.util.Map;

import io.github.genij.core.random.NumpyRandom;

/**
 * OASIS's 3-D noise as a map {@code [zDim, H, W]}: one z for the image (from {@code seed}, numpy's
 * {@code RandomState(seed).randn(zDim)}), and for each label listed in {@code regionSeeds} its own z in that
 * label's pixels: OASIS's way to re-draw one region's look while the rest stays.
 */
final class OasisNoise {

	private OasisNoise() {}

	/**
	 * @param labels the model classes per pixel of the padded image ({@code pw × ph}, row by row)
	 */
	static float[] map(int[] classes, int pw, int ph, int zDim, long seed, Map<Integer, Long> regionSeeds) {
		float[] base = NumpyRandom.randnFloat32(seed, zDim);
		java.util.HashMap<Integer, float[]> regions = new java.util.HashMap<>();
		regionSeeds.forEach((label, s) -> regions.put(label, NumpyRandom.randnFloat32(s, zDim)));
		int plane = pw * ph;
		float[] z = new float[zDim * plane];
		for (int i = 0; i < plane; i++) {
			float[] v = regions.getOrDefault(classes[i], base);
			for (int c = 0; c < zDim; c++) z[c * plane + i] = v[c];
		}
		return z;
	}
}
