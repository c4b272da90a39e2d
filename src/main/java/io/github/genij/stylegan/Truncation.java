package io.github.genij.stylegan;

import io.github.genij.core.GenIJException;

/** The truncation cutoff as a key gives it: blank for all w's, else how many of the first are truncated. */
final class Truncation {

	private Truncation() {}

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
