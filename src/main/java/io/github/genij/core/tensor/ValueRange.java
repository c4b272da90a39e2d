package io.github.genij.core.tensor;

import java.util.function.Supplier;

import net.imglib2.IterableInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The image values that mean "black" ({@link #low}) and "white" ({@link #high}). 8- and 16-bit images
 * use their type's full range; microscopy images usually want {@link Percentiles} instead.
 */
public final class ValueRange {

	public static final ValueRange UNIT = new ValueRange(0, 1);
	public static final ValueRange BYTE = new ValueRange(0, 255);
	public static final ValueRange UNSIGNED_SHORT = new ValueRange(0, 65535);

	/** The percentiles that are black and white for 16- and 32-bit images (GenIJ's convention). */
	public static final double LOW_PERCENTILE = 0.1, HIGH_PERCENTILE = 99.9;

	public final double low;
	public final double high;

	public ValueRange(double low, double high) {
		if (!(high > low)) throw new IllegalArgumentException("value range needs high > low: " + low + ".." + high);
		this.low = low;
		this.high = high;
	}

	/**
	 * GenIJ's convention for every command: 8-bit and RGB values run 0..255 from black to white; 16- and
	 * 32-bit images (microscopy counts, float maps) use the {@value #LOW_PERCENTILE} and
	 * {@value #HIGH_PERCENTILE} percentiles of {@code values} (the whole stack, so every slice is scaled
	 * alike), asked for only when needed. Results are mapped back through the same range.
	 */
	public static ValueRange convention(boolean byteValued, Supplier<IterableInterval<? extends RealType<?>>> values) {
		return byteValued ? BYTE : Percentiles.range(values.get(), LOW_PERCENTILE, HIGH_PERCENTILE);
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
