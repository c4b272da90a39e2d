package io.github.genij.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Assertions on arrays, with tolerances relative to the expected array's range. */
public final class Tensors {

	private Tensors() {}

	/** Same shape, and every element within {@code relative * max(1, max|expected|)} of the expected one. */
	public static void assertClose(NDArray expected, NDArray actual, double relative, String what) {
		assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
		double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
		double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
		double scale = 1, worst = 0;
		for (double v : e) scale = Math.max(scale, Math.abs(v));
		int at = -1;
		for (int i = 0; i < e.length; i++) {
			double d = Math.abs(e[i] - a[i]);
			if (!(d <= worst)) {
				worst = d;
				at = i;
			}
		}
		assertTrue(worst <= relative * scale, what + ": largest difference " + worst + " at element " + at +
			" (allowed " + relative * scale + ")");
	}
}
