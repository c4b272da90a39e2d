package io.github.genij.core.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.genij.core.GenIJException;

/**
 * What GenIJ's trainers share to stop at any time and continue exactly: a safetensors file holding the networks
 * and optimiser moments under prefixes ({@code G.}, {@code adam.}) and the trainer's state as JSON in its metadata
 * (settings, data fingerprint, epoch, position, history); and random draws seeded by (seed, epoch, step), so a
 * continued run draws what an uninterrupted one would have.
 */
public final class TrainingCheckpoint {

	private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

	private final Path file;
	private final String stateKey;

	/** @param stateKey the metadata key of this trainer's state ({@code genij.pix2pix.state}) */
	public TrainingCheckpoint(Path file, String stateKey) {
		this.file = file;
		this.stateKey = stateKey;
	}

	public Path file() {
		return file;
	}

	public boolean exists() {
		return Files.isRegularFile(file);
	}

	/** The saved state; null when the file is not this trainer's checkpoint. */
	public <T> T state(Class<T> type) {
		String json = Safetensors.readMetadata(file).get(stateKey);
		return json == null ? null : GSON.fromJson(json, type);
	}

	/** What every trainer's saved state holds: the settings it must be continued with and its data's fingerprint. */
	public static class RunState {
		public String settings, data;
	}

	/**
	 * The state of the run to continue: null when there is no checkpoint; refused in one line when the file is not
	 * this trainer's ({@code what}: "a SPADE") or was made with other settings or data.
	 */
	public <T extends RunState> T continued(Class<T> type, String what, String settings, String data) {
		if (!exists()) return null;
		T state = state(type);
		if (state == null) throw new GenIJException(file + " is not " + what + " training checkpoint of GenIJ.");
		requireSameRun(state.settings, settings, state.data, data);
		return state;
	}

	/** Every saved tensor, by its prefixed key. */
	public Map<String, WeightTensor> tensors() {
		return Safetensors.read(file);
	}

	/** Writes the tensors and the state (its folder created). */
	public void write(Map<String, WeightTensor> tensors, Object state) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
		}
		catch (IOException e) {
			throw new GenIJException("Cannot create the folder of " + file + ": " + e.getMessage(), e);
		}
		Safetensors.write(file, tensors, Map.of(stateKey, GSON.toJson(state)));
	}

	/** "epoch E of N, step S" of a checkpoint file for a command's log; null if there is none of this trainer. */
	public String describe() {
		if (!exists()) return null;
		String json = Safetensors.readMetadata(file).get(stateKey);
		if (json == null) return null;
		JsonObject o = JsonParser.parseString(json).getAsJsonObject();
		return "epoch " + (o.get("epoch").getAsInt() + 1) + " of " + o.get("epochs").getAsInt() + ", step " + (o.get("position").getAsInt() + 1);
	}

	/** The tensors saved under {@code prefix}, by their key without it. */
	public static Map<String, WeightTensor> prefixed(Map<String, WeightTensor> all, String prefix) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		all.forEach((k, v) -> {
			if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
		});
		return out;
	}

	/** The values saved under {@code prefix} (optimiser moments), keys kept whole. */
	public static Map<String, float[]> floats(Map<String, WeightTensor> all, String prefix) {
		Map<String, float[]> out = new LinkedHashMap<>();
		all.forEach((k, v) -> {
			if (k.startsWith(prefix)) out.put(k, v.toFloats());
		});
		return out;
	}

	/** The seed of step {@code step} of {@code epoch} (-1: the epoch's shuffle). */
	public static long stepSeed(long seed, int epoch, int step) {
		long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + step * 0x165667B19E3779F9L;
		return h ^ (h >>> 31);
	}

	/** A shuffled order of {@code n} items, the same for the same (seed, epoch). */
	public static int[] shuffled(int n, long seed, int epoch) {
		int[] order = new int[n];
		for (int i = 0; i < n; i++) order[i] = i;
		Random r = new Random(stepSeed(seed, epoch, -1));
		for (int i = n - 1; i > 0; i--) {
			int j = r.nextInt(i + 1), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		return order;
	}

	/**
	 * Refuses to continue a training whose saved settings or data differ from this run's, saying what to do
	 * (the same settings and images, {@code restart=true}, or another output name).
	 */
	public void requireSameRun(String savedSettings, String settings, String savedData, String data) {
		if (!settings.equals(savedSettings)) {
			throw new GenIJException("The unfinished training in " + file + " used other settings (" + savedSettings + ") than these (" +
				settings + "). Give the same settings to continue it, restart=true to discard it, or another output name.");
		}
		if (!data.equals(savedData)) {
			throw new GenIJException("The unfinished training in " + file + " was made with other images. Give the same images to " +
				"continue it, restart=true to discard it, or another output name.");
		}
	}

	/** SHA-256 over 8-bit images' levels, in order: the identity of a trainer's data. */
	public static String fingerprint(java.util.List<int[]> images) {
		java.security.MessageDigest sha;
		try {
			sha = java.security.MessageDigest.getInstance("SHA-256");
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
		for (int[] img : images) {
			byte[] b = new byte[img.length];
			for (int i = 0; i < img.length; i++) b[i] = (byte) img[i];
			sha.update(b);
		}
		StringBuilder hex = new StringBuilder();
		for (byte x : sha.digest()) hex.append(String.format("%02x", x));
		return hex.toString();
	}
}
