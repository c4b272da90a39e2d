package io.github.genij.core.tensor;

import net.imglib2.IterableInterval;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;

/**
 * Percentile-based value ranges for 16-bit and float images, where the type's range says nothing
 * about where the data lies. Counts are {@code long}: multi-gigabyte stacks exist.
 * <p>
 * Integer images of at most 16 bits are counted exactly, one bin per value. Anything else is binned
 * into {@value #FLOAT_BINS} bins between its minimum and maximum, so a percentile is exact to within
 * one bin width ({@code (max - min) / 65536}).
 */
public final class Percentiles {

	static final int FLOAT_BINS = 1 << 16;

	private Percentiles() {}

	/** The values at the {@code lowPercent} and {@code highPercent} percentiles (0..100), as a range. */
	public static ValueRange range(IterableInterval<? extends RealType<?>> image, double lowPercent, double highPercent) {
		if (!(lowPercent >= 0 && lowPercent < highPercent && highPercent <= 100))
			throw new IllegalArgumentException("percentiles need 0 <= low < high <= 100: " + lowPercent + ", " + highPercent);
		Histogram h = histogram(image);
		double lo = h.valueAt(lowPercent), hi = h.valueAt(highPercent);
		// A flat image has no contrast to stretch; keep its value at black rather than divide by zero.
		if (!(hi > lo)) hi = lo + 1;
		return new ValueRange(lo, hi);
	}

	static Histogram histogram(IterableInterval<? extends RealType<?>> image) {
		RealType<?> type = image.firstElement();
		boolean exact = type instanceof IntegerType && type.getMaxValue() - type.getMinValue() < FLOAT_BINS;
		double min, max;
		if (exact) {
			min = type.getMinValue();
			max = type.getMaxValue();
		}
		else {
			min = Double.POSITIVE_INFINITY;
			max = Double.NEGATIVE_INFINITY;
			for (RealType<?> t : image) {
				double v = t.getRealDouble();
				if (v < min) min = v;
				if (v > max) max = v;
			}
		}
		int bins = exact ? (int) (max - min) + 1 : FLOAT_BINS;
		long[] counts = new long[bins];
		double perBin = exact ? 1 : (max > min ? bins / (max - min) : 0);
		long nan = 0;
		for (RealType<?> t : image) {
			double v = t.getRealDouble();
			if (Double.isNaN(v)) {
				nan++;
				continue;
			}
			int b = (int) ((v - min) * perBin);
			counts[b >= bins ? bins - 1 : b]++;
		}
		return new Histogram(counts, min, exact ? 1 : (max - min) / bins, exact, nan);
	}

	static final class Histogram {
		final long[] counts;
		final double min;
		final double binWidth;
		final boolean exact;
		final long total;

		Histogram(long[] counts, double min, double binWidth, boolean exact, long ignoredNaN) {
			this.counts = counts;
			this.min = min;
			this.binWidth = binWidth;
			this.exact = exact;
			long n = 0;
			for (long c : counts) n += c;
			this.total = n;
		}

		/** The value at rank {@code floor(p/100 * (n-1))} of the sorted values (NaN ignored). */
		double valueAt(double percent) {
			if (total == 0) return 0;
			long rank = (long) Math.floor(percent / 100.0 * (total - 1));
			long seen = 0;
			for (int b = 0; b < counts.length; b++) {
				if (counts[b] == 0) continue;
				if (seen + counts[b] > rank) {
					if (exact) return min + b;
					// spread the bin's values evenly across its width
					double within = (rank - seen + 0.5) / counts[b];
					return min + (b + within) * binWidth;
				}
				seen += counts[b];
			}
			return min + (counts.length - 1) * binWidth;
		}
	}
}
