package io.github.genij.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The independent oracle: Debian's python3-torch (for the system {@code /usr/bin/python3}) runs a script
 * from {@code src/test/python} that writes reference tensors as safetensors plus a {@code cases.json}.
 * Scripts run once per test JVM, into {@code target/oracle/<name>}.
 * <p>
 * Without that torch, tests using the oracle are skipped with a message saying why, except under CI
 * ({@code CI=true}), where {@code .ci/run} installs it and a missing oracle is a failure.
 */
public final class PythonOracle {

	public static final String PYTHON = "/usr/bin/python3";
	private static final Map<String, Path> generated = new HashMap<>();
	private static Boolean available;

	private PythonOracle() {}

	/** Runs {@code src/test/python/<script>} once and returns the folder it filled. */
	public static synchronized Path generate(String script) {
		requireTorch();
		Path folder = generated.get(script);
		if (folder != null) return folder;
		folder = Paths.get("target", "oracle", script.replace(".py", ""));
		run(script, folder);
		generated.put(script, folder);
		return folder;
	}

	/** Runs {@code src/test/python/<script> <folder>} now (the folder may hold the script's inputs), failing on errors. */
	public static void run(String script, Path folder) {
		requireTorch();
		try {
			Files.createDirectories(folder);
			ProcessBuilder pb = new ProcessBuilder(PYTHON, Paths.get("src", "test", "python", script).toString(),
				folder.toString()).redirectErrorStream(true);
			pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
			Process p = pb.start();
			String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
				throw new IllegalStateException("oracle script " + script + " failed:\n" + output);
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot run the oracle " + script, e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/** Skips the calling test (or fails it under CI) when the oracle's torch is missing. */
	public static synchronized void requireTorch() {
		if (available == null) available = torchImports();
		if (available) return;
		String why = "Debian's python3-torch is not installed for " + PYTHON + " (apt-get install python3-torch); " +
			"the oracle comparison is skipped";
		if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why + " - but CI must run it");
		Assumptions.assumeTrue(false, why);
	}

	private static boolean torchImports() {
		try {
			Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** One case of cases.json: its name, kind and settings. */
	public static final class Case {
		public final String name, kind;
		public final JsonObject settings;

		Case(JsonObject o) {
			name = o.get("name").getAsString();
			kind = o.get("kind").getAsString();
			settings = o.getAsJsonObject("settings");
		}

		public int[] ints(String key) {
			JsonArray a = settings.getAsJsonArray(key);
			int[] v = new int[a.size()];
			for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
			return v;
		}

		public String string(String key) {
			return settings.get(key).getAsString();
		}

		public double number(String key) {
			return settings.get(key).getAsDouble();
		}

		@Override
		public String toString() {
			return name;
		}
	}

	public static List<Case> cases(Path folder) {
		try (Reader r = Files.newBufferedReader(folder.resolve("cases.json"))) {
			List<Case> cases = new ArrayList<>();
			for (JsonElement e : new Gson().fromJson(r, JsonArray.class)) cases.add(new Case(e.getAsJsonObject()));
			return cases;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The named tensors of one case's safetensors file. */
	public static Map<String, NDArray> tensors(NDManager manager, Path folder, String name) {
		try (InputStream in = Files.newInputStream(folder.resolve(name + ".safetensors"))) {
			Map<String, NDArray> map = new LinkedHashMap<>();
			for (NDArray a : NDList.decode(manager, in)) map.put(a.getName(), a);
			return map;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
