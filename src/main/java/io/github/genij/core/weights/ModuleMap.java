package io.github.genij.core.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torch module as a plain pickle holds it (NVIDIA's {@code torch_utils.persistence} objects: the
 * module's {@code __dict__} and its class name, its source as inert text): its state-dict entries by name
 * (parameters, persistent buffers, child modules) as this map, and its other attributes
 * ({@code _init_kwargs}, gains, flags) beside it. Nothing of it is ever run.
 */
public final class ModuleMap extends LinkedHashMap<Object, Object> {

	private static final long serialVersionUID = 1L;

	/** The class as the file names it ({@code training.networks.SynthesisLayer}). */
	public final String className;
	/** The module's other attributes, as read. */
	public final Map<Object, Object> attributes = new LinkedHashMap<>();

	ModuleMap(String className) {
		this.className = className;
	}

	/** From {@code _reconstruct_persistent_obj}'s meta: {type, version, module_src, class_name, state}. */
	static ModuleMap of(Map<?, ?> meta, String file) {
		Object cls = meta.get("class_name"), state = meta.get("state");
		if (!"class".equals(meta.get("type")) || !(cls instanceof String) || !(state instanceof Map)) {
			throw new CheckpointException(file + " holds a persistent object GenIJ does not read (type " + meta.get("type") +
				", class " + cls + ").");
		}
		ModuleMap m = new ModuleMap((String) cls);
		Map<?, ?> dict = (Map<?, ?>) state;
		List<?> nonPersistent = dict.get("_non_persistent_buffers_set") instanceof List ? (List<?>) dict.get("_non_persistent_buffers_set") : List.of();
		copy(dict.get("_parameters"), m, List.of());
		copy(dict.get("_buffers"), m, nonPersistent);
		copy(dict.get("_modules"), m, List.of());
		for (Map.Entry<?, ?> e : dict.entrySet()) {
			String k = String.valueOf(e.getKey());
			if (!k.equals("_parameters") && !k.equals("_buffers") && !k.equals("_modules")) m.attributes.put(k, e.getValue());
		}
		return m;
	}

	private static void copy(Object from, ModuleMap to, List<?> except) {
		if (!(from instanceof Map)) return;
		for (Map.Entry<?, ?> e : ((Map<?, ?>) from).entrySet())
			if (e.getValue() != null && !except.contains(e.getKey())) to.put(e.getKey(), e.getValue());
	}

	/** The class names of this module and all modules inside it. */
	public void classes(java.util.Set<String> into) {
		into.add(className);
		for (Object v : values())
			if (v instanceof ModuleMap) ((ModuleMap) v).classes(into);
	}

	@Override
	public boolean equals(Object o) {
		return this == o;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}
}
