package io.github.genij.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./genij bench [name ...]}: runs GenIJ's benchmarks. Each prints one line per figure, as a ratio
 * against a baseline measured in the same run on the same machine (see bench/README.md).
 */
public final class Benchmarks {

	private Benchmarks() {}

	static Map<String, Runnable> all() {
		Map<String, Runnable> all = new LinkedHashMap<>();
		all.put("conversion", ConversionBench::run);
		all.put("transposed-conv", TransposedConvBench::run);
		all.put("style", StyleBench::run);
		all.put("translate", TranslateBench::run);
		all.put("torchscript", TorchScriptBench::run);
		all.put("translate-memory", TranslateMemoryBench::run);
		all.put("train", TrainBench::run);
		all.put("stylegan", StyleGanBench::run);
		all.put("stylegan-memory", StyleGanMemoryBench::run);
		all.put("pixelcnn", PixelCnnBench::run);
		all.put("spade", SpadeBench::run);
		return all;
	}

	public static void main(String[] args) {
		// Same thread count as the Python oracle gets (set before the engine starts): all cores, or
		// -Dgenij.bench.threads=N (GENIJ_JAVA_OPTS) where the JVM's own threads compete for few cores.
		System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads()));
		Map<String, Runnable> all = all();
		List<String> names = args.length == 0 ? new ArrayList<>(all.keySet()) : Arrays.asList(args);
		for (String name : names) {
			Runnable bench = all.get(name);
			if (bench == null) {
				System.err.println("genij bench: no benchmark '" + name + "'. Known: " + String.join(", ", all.keySet()));
				System.exit(2);
			}
			// a memory figure means something only from a process that ran nothing else before
			if (names.size() > 1 && FRESH_PROCESS.contains(name)) inFreshProcess(name);
			else bench.run();
		}
		System.exit(0);
	}

	/** Benchmarks that measure the process's memory, so run alone in a process of their own. */
	private static final List<String> FRESH_PROCESS = List.of("translate-memory", "stylegan-memory");

	/** Runs one benchmark in a new JVM with this one's class path and settings, its output passed through. */
	private static void inFreshProcess(String name) {
		List<String> command = new ArrayList<>();
		command.add(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Benchmarks.class.getName());
		command.add(name);
		try {
			int code = new ProcessBuilder(command).inheritIO().start().waitFor();
			if (code != 0) System.out.println("  (" + name + " ended with exit code " + code + ")");
		}
		catch (IOException e) {
			System.out.println("  (cannot start a fresh process for " + name + ": " + e.getMessage() + ")");
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Median wall times of a baseline and a candidate, timed alternately round by round so that both see
	 * the same machine state (on a small shared machine, back-to-back blocks drift apart).
	 */
	static long[] pairedMedians(int warmup, int runs, Runnable baseline, Runnable candidate) {
		for (int i = 0; i < warmup; i++) {
			baseline.run();
			candidate.run();
		}
		long[] b = new long[runs], c = new long[runs];
		for (int i = 0; i < runs; i++) {
			long t0 = System.nanoTime();
			baseline.run();
			long t1 = System.nanoTime();
			candidate.run();
			c[i] = System.nanoTime() - t1;
			b[i] = t1 - t0;
		}
		Arrays.sort(b);
		Arrays.sort(c);
		return new long[] { b[runs / 2], c[runs / 2] };
	}

	/**
	 * Runs a PyTorch script from bench/python (Debian's python3-torch) and reads its "name value" lines;
	 * null (after saying why) when the oracle cannot run here.
	 */
	static Map<String, String> python(String script, String... args) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "bench/python/" + script));
		command.addAll(Arrays.asList(args));
		try {
			Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (p.waitFor() != 0) {
				System.out.println("  (the PyTorch oracle is unavailable: " + out.trim().replace('\n', ' ') + ")");
				return null;
			}
			Map<String, String> values = new HashMap<>();
			for (String line : out.split("\n")) {
				// names may contain spaces ("unet256 up 512->512 @1"), values never do
				int cut = line.trim().lastIndexOf(' ');
				if (cut > 0) values.put(line.trim().substring(0, cut), line.trim().substring(cut + 1));
			}
			return values;
		}
		catch (IOException e) {
			System.out.println("  (cannot run the PyTorch oracle: " + e.getMessage() + ")");
			return null;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** A working folder under target/bench, created; null (after saying why) if it cannot be. */
	static java.nio.file.Path folder(String name) {
		java.nio.file.Path f = java.nio.file.Paths.get("target", "bench", name);
		try {
			java.nio.file.Files.createDirectories(f);
			return f;
		}
		catch (IOException e) {
			System.out.println("  (cannot create " + f + ": " + e.getMessage() + ")");
			return null;
		}
	}

	/** One forward pass whose every array lives in a manager closed at the end (the output read back, as a user would). */
	static void timeForward(java.util.function.Function<ai.djl.ndarray.NDManager, ai.djl.ndarray.NDArray> f, ai.djl.ndarray.NDManager m) {
		try (ai.djl.ndarray.NDManager s = m.newSubManager()) {
			ai.djl.ndarray.NDArray y = f.apply(s);
			y.attach(s);
			y.toByteBuffer(true);
		}
	}

	/** The largest absolute difference of a forward pass's output from {@code expected}. */
	static double largestDifference(java.util.function.Function<ai.djl.ndarray.NDManager, ai.djl.ndarray.NDArray> f,
		ai.djl.ndarray.NDArray expected, ai.djl.ndarray.NDManager m)
	{
		try (ai.djl.ndarray.NDManager s = m.newSubManager()) {
			ai.djl.ndarray.NDArray y = f.apply(s);
			y.attach(s);
			return y.sub(expected).abs().max().getFloat();
		}
	}

	/** The thread count both sides of a comparison use. */
	static int threads() {
		return Integer.getInteger("genij.bench.threads", Runtime.getRuntime().availableProcessors());
	}

	/** Median wall time in nanoseconds of {@code runs} calls, after {@code warmup} untimed ones. */
	static long medianNanos(int warmup, int runs, Runnable body) {
		for (int i = 0; i < warmup; i++) body.run();
		long[] t = new long[runs];
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			body.run();
			t[i] = System.nanoTime() - start;
		}
		Arrays.sort(t);
		return t[runs / 2];
	}
}
