package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;

import io.github.genij.core.GenIJException;

/** Seed lists as NVIDIA's scripts take them: {@code 0-7,42} (ranges inclusive), each 0 to 2^32 - 1. */
public final class Seeds {

	/** More images than this in one run is almost surely a typo (0-99999999). */
	public static final int MOST = 100_000;

	private Seeds() {}

	public static List<Long> parse(String text, String key) {
		List<Long> seeds = new ArrayList<>();
		String s = text == null ? "" : text.trim();
		if (s.isEmpty()) throw new GenIJException("Give " + key + "=<seeds>, e.g. " + key + "=0-7,42.");
		for (String part : s.split(",")) {
			String p = part.trim();
			try {
				int dash = p.indexOf('-', 1);
				long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash).trim());
				long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1).trim());
				check(from, key, text);
				check(to, key, text);
				if (to < from) throw new GenIJException(key + "=" + text + ": the range " + p + " runs backwards; write " + to + "-" + from + ".");
				if (seeds.size() + (to - from + 1) > MOST) throw new GenIJException(key + "=" + text + " asks for more than " + MOST + " images.");
				for (long v = from; v <= to; v++) seeds.add(v);
			}
			catch (NumberFormatException e) {
				throw new GenIJException(key + "=" + text + " is not a list of seeds: use numbers and ranges, e.g. 0-7,42.");
			}
		}
		return seeds;
	}

	private static void check(long seed, String key, String text) {
		if (seed < 0 || seed > 0xffffffffL)
			throw new GenIJException(key + "=" + text + ": a seed is 0 to 4294967295 (numpy's range), not " + seed + ".");
	}

	/**
	 * For macros ({@code call("io.github.genij.stylegan.Seeds.forMacro", "0-7,42")}): the seeds comma-separated,
	 * or {@code "error: "} and why not.
	 */
	public static String forMacro(String text) {
		try {
			StringBuilder b = new StringBuilder();
			for (long s : parse(text, "seeds")) b.append(b.length() == 0 ? "" : ",").append(s);
			return b.toString();
		}
		catch (GenIJException e) {
			return "error: " + e.getMessage();
		}
	}
}
