package io.github.genij.ij;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;

/**
 * GenIJ's policy for pixels that are not finite numbers (NaN or infinity, which only 32-bit images can
 * hold): they are refused, with their count and where the first is, before any work. A network turns one
 * NaN into a NaN result everywhere its receptive field reaches, and an infinity breaks the value range;
 * guessing a value for them would invent data. ImageJ's Process > Noise > Remove NaNs replaces NaNs.
 */
public final class FinitePixels {

	private FinitePixels() {}

	/** @throws GenIJException naming the count and the first position when {@code imp} has non-finite pixels */
	public static void require(ImagePlus imp) {
		if (imp.getBitDepth() != 32) return;
		ImageStack stack = imp.getStack();
		int w = imp.getWidth();
		long count = 0;
		int firstIndex = -1, firstPixel = -1;
		for (int i = 1; i <= stack.getSize(); i++) {
			float[] px = (float[]) stack.getPixels(i);
			for (int k = 0; k < px.length; k++) {
				if (Float.isFinite(px[k])) continue;
				if (count++ == 0) {
					firstIndex = i;
					firstPixel = k;
				}
			}
		}
		if (count == 0) return;
		String where = "x=" + firstPixel % w + ", y=" + firstPixel / w + (stack.getSize() > 1 ? " of stack image " + firstIndex : "");
		throw new GenIJException("'" + imp.getTitle() + "' has " + count + " pixel(s) that are not finite numbers (NaN or " +
			"infinity), the first at " + where + ". Replace them first (Process > Noise > Remove NaNs; infinities with " +
			"Process > Math > Set...), or crop them away.");
	}
}
