package io.github.genij.ij;

import java.util.Locale;

import io.github.genij.core.GenIJException;

/**
 * What an image-producing command returns: {@link #AUTO} the input's own type (8-bit RGB for RGB input),
 * or {@link #FLOAT32}, 32-bit with one channel per network output channel and values mapped back to the
 * input's scale, unrounded, for measurements.
 */
public enum OutputType {
	AUTO, FLOAT32;

	/** The macro values, in the order a dialog offers them. */
	public static final String CHOICES_AUTO = "auto";
	public static final String CHOICES_FLOAT32 = "float32";

	public static OutputType parse(String text) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		if (t.isEmpty() || t.equals(CHOICES_AUTO)) return AUTO;
		if (t.equals(CHOICES_FLOAT32) || t.equals("32-bit") || t.equals("float")) return FLOAT32;
		throw new GenIJException("Unknown outputtype '" + text + "'. Use auto (the input's type) or float32.");
	}
}
