package io.github.genij.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.genij.core.GenIJException;

/** A trainer's folder of images, by file name without extension, so that two folders pair up by name. */
public final class NamedFiles {

	private NamedFiles() {}

	/**
	 * The visible files of {@code folder} by name without extension, in name order (the first of two that differ only
	 * in extension); refused in one line naming {@code key} when it is no folder or holds no files.
	 */
	public static Map<String, Path> of(Path folder, String key) {
		if (folder == null || !Files.isDirectory(folder)) throw new GenIJException(key + "=" + folder + " is not a folder.");
		Map<String, Path> byName = new TreeMap<>();
		try (Stream<Path> files = Files.list(folder)) {
			files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(p -> {
				String n = p.getFileName().toString();
				int dot = n.lastIndexOf('.');
				byName.putIfAbsent(dot > 0 ? n.substring(0, dot) : n, p);
			});
		}
		catch (IOException e) {
			throw new GenIJException("Cannot list " + folder + ": " + e.getMessage(), e);
		}
		if (byName.isEmpty()) throw new GenIJException(key + "=" + folder + " holds no files.");
		return byName;
	}
}
