package io.github.genij.ij;

import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

import io.github.genij.core.weights.ModelCache;
import io.github.genij.core.weights.ModelStore;

/**
 * The models a Fiji session has read, kept for the next command: a batch macro over a folder reads and
 * hashes its model once; a changed file is read again; all is let go when the context is disposed.
 */
@Plugin(type = Service.class)
public class ModelCacheService extends AbstractService implements SciJavaService {

	private final ModelCache cache = new ModelCache();

	/** An installed model's name, a model folder or a weights file, read once per file version. */
	public ModelStore.Installed resolve(String modelOrFile, String key) {
		return cache.resolve(ModelStore.defaultStore(), modelOrFile, key);
	}

	/** How many times a model was read from disk in this session. */
	public int reads() {
		return cache.reads();
	}

	@Override
	public void dispose() {
		cache.clear();
	}
}
