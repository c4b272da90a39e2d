package io.github.genij.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

class PercentilesTest {

	private final Random random = new Random(7);

	@Test
	void sixteenBitPercentilesAreExact() {
		ArrayImg<UnsignedShortType, ShortArray> img = ArrayImgs.unsignedShorts(101, 57);
		int n = 101 * 57;
		int[] sorted = new int[n];
		int i = 0;
		for (UnsignedShortType t : img) {
			t.set(100 + (int) Math.abs(random.nextGaussian() * 3000));
			sorted[i++] = t.get();
		}
		Arrays.sort(sorted);
		ValueRange r = Percentiles.range(img, 1, 99.8);
		assertEquals(sorted[(int) Math.floor(0.01 * (n - 1))], r.low, 0);
		assertEquals(sorted[(int) Math.floor(0.998 * (n - 1))], r.high, 0);
	}

	@Test
	void floatPercentilesAreWithinOneBin() {
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(200, 150);
		int n = 200 * 150;
		float[] sorted = new float[n];
		int i = 0;
		for (FloatType t : img) {
			t.set((float) (random.nextGaussian() * 50 - 10));
			sorted[i++] = t.get();
		}
		Arrays.sort(sorted);
		double bin = (sorted[n - 1] - sorted[0]) / (double) Percentiles.FLOAT_BINS;
		ValueRange r = Percentiles.range(img, 2, 98);
		assertEquals(sorted[(int) Math.floor(0.02 * (n - 1))], r.low, bin);
		assertEquals(sorted[(int) Math.floor(0.98 * (n - 1))], r.high, bin);
	}

	@Test
	void aFlatImageStillGivesAUsableRange() {
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(10, 10);
		for (FloatType t : img) t.set(5);
		ValueRange r = Percentiles.range(img, 1, 99);
		assertEquals(5, r.low, 0);
		assertEquals(6, r.high, 0);
	}
}
