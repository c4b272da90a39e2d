package io.github.genij.core.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Models read once per file version: a batch over a folder reads and hashes its model for the first
 * image only. An entry is keyed by the weights file's real path and stays valid while its size and
 * modification time do; a changed file is read (and, for an installed model, verified) again. The most
 * recently used models are kept, at most {@link #CAPACITY}.
 */
public final class ModelCache {

	static final int CAPACITY = 4;

	private static final class Version {
		final long size, modified;

		Version(Path file) throws IOException {
			size = Files.size(file);
			modified = Files.getLastModifiedTime(file).toMillis();
		}

		@Override
		public boolean equals(Object o) {
			return o instanceof Version && ((Version) o).size == size && ((Version) o).modified == modified;
		}

		@Override
		public int hashCode() {
			return Objects.hash(size, modified);
		}
	}

	private static final class Cached {
		final Version version;
		final ModelStore.Installed model;

		Cached(Version version, ModelStore.Installed model) {
			this.version = version;
			this.model = model;
		}
	}

	private final Map<Path, Cached> entries = new LinkedHashMap<>(8, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<Path, Cached> eldest) {
			return size() > CAPACITY;
		}
	};
	private int reads;

	/** {@link ModelStore#resolve}, from memory when the weights file has not changed since it was read. */
	public synchronized ModelStore.Installed resolve(ModelStore store, String modelOrFile, String key) {
		Path file = store.weightsFile(modelOrFile);
		if (file == null) return store.resolve(modelOrFile, key); // let the store explain what is wrong
		try {
			Path real = file.toRealPath();
			Version now = new Version(real);
			Cached e = entries.get(real);
			if (e != null && e.version.equals(now)) return e.model;
			ModelStore.Installed model = store.resolve(modelOrFile, key);
			reads++;
			entries.put(real, new Cached(now, model));
			return model;
		}
		catch (IOException e) {
			return store.resolve(modelOrFile, key);
		}
	}

	/** How many times a model was read from disk (for tests). */
	public synchronized int reads() {
		return reads;
	}

	public synchronized void clear() {
		entries.clear();
	}
}
