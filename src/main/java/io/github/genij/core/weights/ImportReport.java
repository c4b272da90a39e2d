package io.github.genij.core.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** How a checkpoint's keys fit what a network expects: missing, unexpected and wrongly shaped keys, by name. */
public final class ImportReport {

	public final List<String> missing, unexpected, mismatched;
	public final int matched;

	private ImportReport(List<String> missing, List<String> unexpected, List<String> mismatched, int matched) {
		this.missing = Collections.unmodifiableList(missing);
		this.unexpected = Collections.unmodifiableList(unexpected);
		this.mismatched = Collections.unmodifiableList(mismatched);
		this.matched = matched;
	}

	/** Compares a state dict with the keys and shapes a network expects. */
	public static ImportReport compare(Map<String, long[]> expected, Map<String, WeightTensor> actual) {
		List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
		int matched = 0;
		for (Map.Entry<String, long[]> e : expected.entrySet()) {
			WeightTensor t = actual.get(e.getKey());
			if (t == null) missing.add(e.getKey());
			else if (!Arrays.equals(e.getValue(), t.shape())) mismatched.add(e.getKey() + " (checkpoint " +
				Arrays.toString(t.shape()) + ", network " + Arrays.toString(e.getValue()) + ")");
			else matched++;
		}
		for (String k : actual.keySet())
			if (!expected.containsKey(k)) unexpected.add(k);
		return new ImportReport(missing, unexpected, mismatched, matched);
	}

	/** True when every expected key is present with its shape (unexpected extras are tolerated). */
	public boolean fits() {
		return missing.isEmpty() && mismatched.isEmpty();
	}

	/** Throws with the report as the message unless the checkpoint fits. */
	public void requireFit(String what) {
		if (!fits()) throw new CheckpointException(what + " does not fit the network.\n" + toText());
	}

	public String toText() {
		StringBuilder s = new StringBuilder();
		s.append("matched: ").append(matched).append(" tensors\n");
		list(s, "missing (the network needs them)", missing);
		list(s, "shape mismatch", mismatched);
		list(s, "unexpected (ignored)", unexpected);
		return s.toString();
	}

	private static void list(StringBuilder s, String title, List<String> keys) {
		if (keys.isEmpty()) return;
		s.append(title).append(": ").append(keys.size()).append('\n');
		for (String k : keys) s.append("  ").append(k).append('\n');
	}
}
