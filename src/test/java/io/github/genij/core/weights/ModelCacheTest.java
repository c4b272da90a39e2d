package io.github.genij.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model is read once per file version: again only when its file changes. */
class ModelCacheTest {

	@TempDir
	Path dir;

	@Test
	void readsOncePerFileVersion() throws Exception {
		Path file = dir.resolve("w.safetensors");
		Safetensors.write(file, Map.of("a", WeightTensor.ofFloats(new float[] { 1, 2 }, new long[] { 2 })), null);
		ModelStore store = new ModelStore(dir.resolve("store"));
		ModelCache cache = new ModelCache();
		ModelStore.Installed first = cache.resolve(store, file.toString(), "model");
		assertSame(first, cache.resolve(store, file.toString(), "model"));
		assertEquals(1, cache.reads());
		Safetensors.write(file, Map.of("a", WeightTensor.ofFloats(new float[] { 3, 4, 5 }, new long[] { 3 })), null);
		Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
		ModelStore.Installed changed = cache.resolve(store, file.toString(), "model");
		assertNotSame(first, changed);
		assertEquals(3, changed.weights.get("a").elements());
		assertEquals(2, cache.reads());
		cache.clear();
		cache.resolve(store, file.toString(), "model");
		assertEquals(3, cache.reads());
	}
}
