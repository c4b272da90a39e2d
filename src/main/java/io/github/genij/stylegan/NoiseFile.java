package io.github.genij.stylegan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.NumpyFiles;

/**
 * A {@code noisefile}: an {@code .npz} of one array per noise layer, in layer order (the order they were saved in), to
 * remake an image made elsewhere with given noise. An array {@code [N, 1, H, W]} gives output image i its row i;
 * {@code [1, 1, H, W]} (or {@code [H, W]}) serves every image.
 */
final class NoiseFile {

	private final List<NumpyFiles.Array> arrays;

	private NoiseFile(List<NumpyFiles.Array> arrays) {
		this.arrays = arrays;
	}

	/** The file's arrays, checked for {@code images} outputs; null when no file is given. */
	static NoiseFile read(String given, int images) {
		if (given == null || given.isBlank()) return null;
		Path file = Paths.get(given.trim());
		if (!Files.isRegularFile(file)) throw new GenIJException("noisefile=" + given.trim() + " is not a file: give an .npz of one array per noise layer.");
		Map<String, NumpyFiles.Array> all = NumpyFiles.read(file);
		if (all.isEmpty()) throw new GenIJException("noisefile=" + given.trim() + " holds no arrays.");
		List<NumpyFiles.Array> arrays = new ArrayList<>(all.values());
		for (int k = 0; k < arrays.size(); k++) {
			long[] shape = arrays.get(k).shape;
			long rows = shape.length == 4 ? shape[0] : 1;
			if (shape.length != 4 && shape.length != 2 || shape.length == 4 && shape[1] != 1) {
				throw new GenIJException("noisefile: array " + k + " has shape " + java.util.Arrays.toString(shape) + "; give [N, 1, H, W] or [H, W].");
			}
			if (rows != 1 && rows < images) {
				throw new GenIJException("noisefile: array " + k + " has " + rows + " rows for " + images + " images: give a row per image, or one for all.");
			}
		}
		return new NoiseFile(arrays);
	}

	/** The maps of output image {@code i}. */
	Noise forImage(int i) {
		List<float[]> maps = new ArrayList<>();
		for (NumpyFiles.Array a : arrays) {
			long rows = a.shape.length == 4 ? a.shape[0] : 1;
			int n = (int) (a.values.length / rows), row = rows == 1 ? 0 : i;
			float[] map = new float[n];
			for (int j = 0; j < n; j++) map[j] = (float) a.values[row * n + j];
			maps.add(map);
		}
		return Noise.given(maps);
	}
}
