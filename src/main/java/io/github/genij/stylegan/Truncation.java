package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.nn.Scalars;

import io.github.genij.core.GenIJException;

/** The truncation trick: the cutoff as a key gives it, and w pulled towards an average for the first style inputs. */
final class Truncation {

	private Truncation() {}

	/**
	 * {@code w} broadcast to {@code count} style inputs ({@code [1, count, D]}), {@code avg + psi (w - avg)} for the first
	 * {@code cutoff} of them (all when null or larger); {@code avg} is {@code [D]} or {@code [1, D]}.
	 */
	static NDArray apply(NDArray w, int count, NDArray avg, double psi, Integer cutoff) {
		NDArray ws = w.expandDims(1).repeat(1, count);
		if (psi == 1) return ws;
		NDArray a = avg.reshape(1, 1, w.getShape().get(1));
		NDArray truncated = a.add(Scalars.times(ws.sub(a), (float) psi));
		int n = cutoff == null ? count : Math.max(0, Math.min(cutoff, count));
		if (n == count) return truncated;
		if (n == 0) return ws;
		return NDArrays.concat(new NDList(truncated.get(":, 0:" + n + ", :"), ws.get(":, " + n + ":, :")), 1);
	}

	static Integer cutoff(String text) {
		String s = text == null ? "" : text.trim();
		if (s.isEmpty()) return null;
		try {
			int n = Integer.parseInt(s);
			if (n < 0) throw new NumberFormatException();
			return n;
		}
		catch (NumberFormatException e) {
			throw new GenIJException("truncationcutoff=" + text + " is not allowed: give a whole number of w's (0 or more), or " +
				"leave it blank for all.");
		}
	}
}
