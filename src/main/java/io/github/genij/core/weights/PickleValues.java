package io.github.genij.core.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values {@link PickleReader} builds. Plain containers become Java collections; a global that is not
 * on the whitelist becomes a {@link Global}, and calling or instantiating it gives an {@link Inert}
 * object that only records its arguments and state. Nothing from a file is ever executed.
 */
final class PickleValues {

	private PickleValues() {}

	/** A class or function named by the file: {@code module.name}. */
	static final class Global {
		final String module, name;

		Global(String module, String name) {
			this.module = module;
			this.name = name;
		}

		String qualified() {
			return module + "." + name;
		}

		@Override
		public String toString() {
			return qualified();
		}
	}

	/** What calling or instantiating a non-whitelisted global gives: data, never behaviour. */
	static final class Inert {
		final Global type;
		final List<Object> args;
		Object state;

		Inert(Global type, List<Object> args) {
			this.type = type;
			this.args = args;
		}

		@Override
		public String toString() {
			return "<" + type + ">";
		}
	}

	/** A pickle tuple (immutable list). */
	static final class Tuple {
		final List<Object> items;

		Tuple(List<Object> items) {
			this.items = Collections.unmodifiableList(new ArrayList<>(items));
		}

		Object get(int i) {
			return items.get(i);
		}

		int size() {
			return items.size();
		}

		@Override
		public String toString() {
			return "tuple" + items;
		}
	}

	/** A dict, keeping insertion order (as Python dicts and OrderedDicts do). */
	static final class Dict extends LinkedHashMap<Object, Object> {
		private static final long serialVersionUID = 1L;
	}

	/** Pickle's MARK on the stack. */
	static final Object MARK = new Object() {
		@Override
		public String toString() {
			return "<mark>";
		}
	};

	static List<Object> list() {
		return new ArrayList<>();
	}

	static Map<Object, Object> dict() {
		return new Dict();
	}
}
