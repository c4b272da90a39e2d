package io.github.genij.core.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The rewrites a reference checkpoint needs before its keys and weights fit GenIJ's networks. Each takes
 * a state dict and returns a new one, keeping key order.
 */
public final class ImportRewrites {

	private ImportRewrites() {}

	/** Removes a prefix every key carries, such as DataParallel's {@code module.}; otherwise changes nothing. */
	public static Map<String, WeightTensor> stripPrefix(Map<String, WeightTensor> sd, String prefix) {
		if (sd.isEmpty() || !sd.keySet().stream().allMatch(k -> k.startsWith(prefix))) return sd;
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		sd.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
		return out;
	}

	/**
	 * Drops {@code running_mean}, {@code running_var} and {@code num_batches_tracked} of the modules the
	 * predicate names: instance norms saved by old PyTorch versions carry them, and the reference code never
	 * uses them.
	 */
	public static Map<String, WeightTensor> dropRunningStats(Map<String, WeightTensor> sd, Predicate<String> module) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		sd.forEach((k, v) -> {
			int dot = k.lastIndexOf('.');
			String owner = dot < 0 ? "" : k.substring(0, dot), leaf = k.substring(dot + 1);
			boolean stat = leaf.equals("running_mean") || leaf.equals("running_var") || leaf.equals("num_batches_tracked");
			if (!(stat && module.test(owner))) out.put(k, v);
		});
		return out;
	}

	/**
	 * Replaces spectral-norm triples ({@code weight_orig}, {@code weight_u}, {@code weight_v}) by the weight
	 * PyTorch uses in evaluation: {@code W / sigma} with {@code sigma = u . (W v)}, W flattened to
	 * {@code [out, rest]}.
	 */
	public static Map<String, WeightTensor> foldSpectralNorm(Map<String, WeightTensor> sd) {
		return foldSpectralNorm(sd, java.util.Set.of());
	}

	/** {@link #foldSpectralNorm(Map)} except for the {@code weight_orig} keys in {@code keep} (a network that trains under spectral norm). */
	public static Map<String, WeightTensor> foldSpectralNorm(Map<String, WeightTensor> sd, java.util.Set<String> keep) {
		Map<String, WeightTensor> out = new LinkedHashMap<>(sd);
		for (String k : new ArrayList<>(sd.keySet())) {
			if (!k.endsWith(".weight_orig") && !k.equals("weight_orig") || keep.contains(k)) continue;
			String base = k.substring(0, k.length() - "weight_orig".length());
			WeightTensor w = sd.get(k), u = sd.get(base + "weight_u"), v = sd.get(base + "weight_v");
			if (u == null && v == null) continue; // no spectral norm: another reparametrisation's weight_orig (rosinality's equal-lr)
			if (u == null || v == null) throw new CheckpointException("Spectral norm of '" + base + "weight' lacks weight_u or weight_v.");
			long rows = w.shape()[0], cols = w.elements() / Math.max(1, rows);
			if (u.elements() != rows || v.elements() != cols)
				throw new CheckpointException("Spectral norm of '" + base + "weight': u or v does not fit the weight.");
			float[] wv = w.toFloats(), uv = u.toFloats(), vv = v.toFloats();
			double sigma = 0;
			for (int r = 0; r < rows; r++) {
				double row = 0;
				for (int c = 0; c < cols; c++) row += (double) wv[(int) (r * cols + c)] * vv[c];
				sigma += uv[r] * row;
			}
			float[] folded = new float[wv.length];
			for (int i = 0; i < wv.length; i++) folded[i] = (float) (wv[i] / sigma);
			replace(out, k, base + "weight", WeightTensor.ofFloats(folded, w.shape()), base + "weight_u", base + "weight_v");
		}
		return out;
	}

	/** Replaces weight-norm pairs ({@code weight_g}, {@code weight_v}) by {@code g * v / ||v||}, the norm over all but dim 0. */
	public static Map<String, WeightTensor> foldWeightNorm(Map<String, WeightTensor> sd) {
		return foldWeightNorm(sd, java.util.Set.of());
	}

	/** {@link #foldWeightNorm(Map)} except for the {@code weight_g} keys in {@code keep} (and their v). */
	public static Map<String, WeightTensor> foldWeightNorm(Map<String, WeightTensor> sd, java.util.Set<String> keep) {
		Map<String, WeightTensor> out = new LinkedHashMap<>(sd);
		for (String k : new ArrayList<>(sd.keySet())) {
			if (!k.endsWith(".weight_g") && !k.equals("weight_g") || keep.contains(k)) continue;
			String base = k.substring(0, k.length() - "weight_g".length());
			WeightTensor g = sd.get(k), v = sd.get(base + "weight_v");
			if (v == null) throw new CheckpointException("Weight norm of '" + base + "weight' lacks weight_v.");
			long rows = v.shape()[0], cols = v.elements() / Math.max(1, rows);
			if (g.elements() != rows) throw new CheckpointException("Weight norm of '" + base + "weight': g does not fit v.");
			float[] gv = g.toFloats(), vv = v.toFloats(), folded = new float[vv.length];
			for (int r = 0; r < rows; r++) {
				double norm = 0;
				for (int c = 0; c < cols; c++) norm += (double) vv[(int) (r * cols + c)] * vv[(int) (r * cols + c)];
				double scale = gv[r] / Math.sqrt(norm);
				for (int c = 0; c < cols; c++) folded[(int) (r * cols + c)] = (float) (vv[(int) (r * cols + c)] * scale);
			}
			replace(out, k, base + "weight", WeightTensor.ofFloats(folded, v.shape()), base + "weight_v");
		}
		return out;
	}

	/** Puts {@code value} under {@code newKey} where {@code oldKey} was, and removes the helper keys. */
	private static void replace(Map<String, WeightTensor> map, String oldKey, String newKey, WeightTensor value,
		String... helpers)
	{
		Map<String, WeightTensor> copy = new LinkedHashMap<>(map);
		map.clear();
		List<String> drop = List.of(helpers);
		copy.forEach((k, v) -> {
			if (k.equals(oldKey)) map.put(newKey, value);
			else if (!drop.contains(k)) map.put(k, v);
		});
	}

	/** A dimension of a tensor the network needs to size itself (ngf, channels), with a clear error if absent. */
	public static long dimension(Map<String, WeightTensor> sd, String key, int axis) {
		WeightTensor t = sd.get(key);
		if (t == null) throw new CheckpointException("The checkpoint has no '" + key + "', which this architecture needs.");
		long[] s = t.shape();
		if (axis >= s.length) throw new CheckpointException("'" + key + "' has " + s.length + " dimensions; expected more.");
		return s[axis];
	}
}
