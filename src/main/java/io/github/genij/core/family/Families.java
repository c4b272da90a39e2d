package io.github.genij.core.family;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import io.github.genij.core.GenIJException;

/**
 * The model families on the class path. Found with GenIJ's own class loader: in Fiji the thread's
 * context loader may not see the plugin jars.
 */
public final class Families {

	private static List<ModelFamily> all;

	private Families() {}

	public static synchronized List<ModelFamily> all() {
		if (all == null) {
			List<ModelFamily> found = new ArrayList<>();
			for (ModelFamily f : ServiceLoader.load(ModelFamily.class, Families.class.getClassLoader())) found.add(f);
			all = Collections.unmodifiableList(found);
		}
		return all;
	}

	/** The family of that name; the error lists the families there are. */
	public static ModelFamily named(String name) {
		for (ModelFamily f : all())
			if (f.name().equals(name)) return f;
		List<String> names = new ArrayList<>();
		for (ModelFamily f : all()) names.add(f.name());
		throw new GenIJException("No model family '" + name + "' is installed (there are: " + String.join(", ", names) + ").");
	}
}
