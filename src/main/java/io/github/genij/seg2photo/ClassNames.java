package io.github.genij.seg2photo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import io.github.genij.core.weights.ModelStore;

/**
 * The class names a model card lists (parameter {@code class_names}: a list whose index is the class, or an object
 * {@code {"3": "tree"}}), so that {@code labelmap} and overlay ROIs can name classes instead of numbering them.
 * Names compare without case.
 */
final class ClassNames {

	static final String KEY = "class_names";

	private ClassNames() {}

	/** Name (lower case) to class; empty when the model has no card or its card lists no names. */
	static Map<String, Integer> of(ModelStore.Installed model) {
		Map<String, Integer> out = new LinkedHashMap<>();
		Object names = model.card == null ? null : model.card.parameters.get(KEY);
		if (names instanceof List) {
			List<?> list = (List<?>) names;
			for (int i = 0; i < list.size(); i++) if (list.get(i) != null) out.put(key(list.get(i).toString()), i);
		}
		else if (names instanceof Map) {
			for (Map.Entry<?, ?> e : ((Map<?, ?>) names).entrySet()) {
				try {
					out.put(key(String.valueOf(e.getValue())), Integer.parseInt(String.valueOf(e.getKey()).trim()));
				}
				catch (NumberFormatException ignored) {
					// a key that is no class number names nothing
				}
			}
		}
		return out;
	}

	static String key(String name) {
		return name.trim().toLowerCase(Locale.ROOT);
	}

	/** {@code sky=0, tree=1, ...} for messages. */
	static String describe(Map<String, Integer> names) {
		StringJoiner j = new StringJoiner(", ");
		names.forEach((n, c) -> j.add(n + "=" + c));
		return j.toString();
	}
}
