package io.github.genij.ij;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * An image as the reference networks read photos and write results: the current slice's 8-bit levels as
 * {@code (v / 255 - 0.5) / 0.5} planes (PIL's RGB through {@code ToTensor} and {@code Normalize(0.5, 0.5)}), and a
 * result's -1..1 values back to levels as their {@code tensor2im} does.
 */
public final class PhotoValues {

	private PhotoValues() {}

	/**
	 * The current slice as {@code channels} planes (3: R, G, B, a grey image repeated; 1: grey, an RGB image as its
	 * rounded luma); a 16- or 32-bit image is first scaled to 8 bits over its display range, as Image > Type > 8-bit does.
	 */
	public static float[] of(ImagePlus imp, int channels) {
		ImageProcessor ip = imp.getBitDepth() == 8 || imp.getBitDepth() == 24 ? imp.getProcessor() : imp.getProcessor().convertToByteProcessor(true);
		int n = imp.getWidth() * imp.getHeight();
		boolean rgb = imp.getBitDepth() == 24;
		float[] v = new float[channels * n];
		for (int i = 0; i < n; i++) {
			int p = ip.get(i);
			int[] c = rgb ? new int[] { (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff } : new int[] { p, p, p };
			if (channels == 1) v[i] = ((rgb ? Math.round(0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2]) : c[0]) / 255f - 0.5f) / 0.5f;
			else for (int k = 0; k < channels; k++) v[k * n + i] = (c[Math.min(k, 2)] / 255f - 0.5f) / 0.5f;
		}
		return v;
	}

	/** The references' {@code tensor2im}: (x + 1) / 2 · 255, truncated to 0..255 (NaN to 0). */
	public static int toByte(float x) {
		float v = (x + 1) / 2f * 255f;
		return v <= 0 || Float.isNaN(v) ? 0 : v >= 255 ? 255 : (int) v;
	}
}
