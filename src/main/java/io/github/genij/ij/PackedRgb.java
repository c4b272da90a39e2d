package io.github.genij.ij;

import java.util.function.DoubleToIntFunction;

import ij.process.ColorProcessor;

/**
 * Three planes of a generator's output ({@code [3, ph, pw]}, row by row) as an RGB image of {@code w x h}
 * (the top-left part: padding cut away), each value mapped to 0..255 by the reference's own conversion.
 */
public final class PackedRgb {

	private PackedRgb() {}

	public static ColorProcessor of(float[] planes, int pw, int ph, int w, int h, DoubleToIntFunction toByte) {
		int plane = pw * ph;
		int[] px = new int[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				int i = y * pw + x;
				px[y * w + x] = toByte.applyAsInt(planes[i]) << 16 | toByte.applyAsInt(planes[plane + i]) << 8 |
					toByte.applyAsInt(planes[2 * plane + i]);
			}
		}
		return new ColorProcessor(w, h, px);
	}
}
