package io.github.genij.core.tensor;

import net.imglib2.type.numeric.RealType;

/**
 * The image values that mean "black" ({@link #low}) and "white" ({@link #high}). 8- and 16-bit images
 * use their type's full range; microscopy images usually want {@link Percentiles} instead.
 */
public final class ValueRange {

	public static final ValueRange UNIT = new ValueRange(0, 1);
	public static final ValueRange BYTE = new ValueRange(0, 255);
	public static final ValueRange UNSIGNED_SHORT = new ValueRange(0, 65535);

	public final double low;
	public final double high;

	public ValueRange(double low, double high) {
		if (!(high > low)) throw new IllegalArgumentException("value range needs high > low: " + low + ".." + high);
		this.low = low;
		this.high = high;
	}

	/** The full range of an integer type of at most 16 bits, else [0, 1] (float images in [0,1]). */
	public static ValueRange ofType(RealType<?> type) {
		double min = type.getMinValue(), max = type.getMaxValue();
		if (max - min <= 65535 && max > min) return new ValueRange(min, max);
		return UNIT;
	}

	@Override
	public String toString() {
		return "[" + low + ", " + high + "]";
	}
}
