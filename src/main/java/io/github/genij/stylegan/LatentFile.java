package io.github.genij.stylegan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.NumpyFiles;

/**
 * Latents from a numpy file instead of seeds: a 3-D array {@code [N, num_ws, w_dim]} is ws (NVIDIA's
 * {@code projected_w.npz}, key {@code w}), used as they are; a 2-D array {@code [N, D]} holds z rows, or w
 * rows when {@code space} says so (z_dim usually equals w_dim, so the shape cannot tell).
 */
final class LatentFile {

	/** One image's latent: which kind, and its values. */
	static final class Latent {
		final String kind; // z, w or ws
		final double[] values;
		final String label;

		Latent(String kind, double[] values, String label) {
			this.kind = kind;
			this.values = values;
			this.label = label;
		}

		/** The synthesis input for this latent (truncation applies to z and w rows, not to given ws). */
		NDArray ws(StyleGenerator g, int classIndex, double psi, Integer cutoff, NDManager m) {
			switch (kind) {
				case "z": return g.ws(g.w(values, classIndex, m), psi, cutoff);
				case "w": return g.ws(floats(values, new Shape(1, g.wDim()), g, m), psi, cutoff);
				default: return floats(values, new Shape(1, g.numWs(), g.wDim()), g, m);
			}
		}
	}

	private LatentFile() {}

	static List<Latent> read(Path file, String space, StyleGenerator g) {
		if (!Files.isRegularFile(file)) throw new GenIJException("latents=" + file + " is not a file.");
		Map<String, NumpyFiles.Array> arrays = NumpyFiles.read(file);
		NumpyFiles.Array a = arrays.containsKey("w") ? arrays.get("w") : arrays.values().iterator().next();
		List<Latent> out = new ArrayList<>();
		String name = file.getFileName().toString();
		if (a.shape.length == 3) {
			if (a.shape[1] != g.numWs() || a.shape[2] != g.wDim()) {
				throw new GenIJException(name + " holds ws of shape " + java.util.Arrays.toString(a.shape) + "; this model takes [N, " +
					g.numWs() + ", " + g.wDim() + "].");
			}
			int n = g.numWs() * g.wDim();
			for (int i = 0; i < a.shape[0]; i++) out.add(new Latent("ws", slice(a.values, i * n, n), name + " ws " + i));
			return out;
		}
		if (a.shape.length != 2) throw new GenIJException(name + " holds an array of shape " + java.util.Arrays.toString(a.shape) +
			": latents are [N, D] rows or [N, num_ws, w_dim].");
		String kind = "w".equals(space) ? "w" : "z";
		int d = kind.equals("w") ? g.wDim() : g.zDim();
		if (a.shape[1] != d) {
			throw new GenIJException(name + " holds rows of " + a.shape[1] + " values; this model's " + kind + " has " + d +
				(kind.equals("z") ? " (say latentspace=w for w rows)." : "."));
		}
		for (int i = 0; i < a.shape[0]; i++) out.add(new Latent(kind, slice(a.values, i * d, d), name + " " + kind + " " + i));
		return out;
	}

	private static double[] slice(double[] v, int from, int n) {
		double[] out = new double[n];
		System.arraycopy(v, from, out, 0, n);
		return out;
	}

	private static NDArray floats(double[] v, Shape shape, StyleGenerator g, NDManager m) {
		return m.create(io.github.genij.core.random.NumpyRandom.toFloat32(v), shape).toDevice(g.device(), false);
	}
}
