package io.github.genij.ij;

import ij.process.ColorProcessor;

/** Trainers' previews: planar [-1, 1] values (1 or 3 channels) painted as RGB into a strip of squares. */
public final class PreviewPlanes {

	private PreviewPlanes() {}

	/** Paints an {@code s}×{@code s} image at column {@code x0} (grey repeated into R, G and B). */
	public static void paint(ColorProcessor cp, float[] planes, int x0, int s) {
		int plane = s * s, channels = planes.length / plane;
		for (int y = 0; y < s; y++)
			for (int x = 0; x < s; x++) {
				int rgb = 0;
				for (int c = 0; c < 3; c++) {
					float v = planes[Math.min(c, channels - 1) * plane + y * s + x];
					rgb = (rgb << 8) | Math.round((Math.max(-1f, Math.min(1f, v)) + 1f) * 127.5f);
				}
				cp.set(x0 + x, y, rgb);
			}
	}
}
