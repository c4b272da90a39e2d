package io.github.genij.bench;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.translate.TranslateBenchmarks;
import io.github.genij.translate.TranslateCommand;

/**
 * Peak memory of Translate on an 8192x8192 RGB image (tiled, an RGB result), measured as the process's
 * resident memory: the high-water mark is reset (Linux's clear_refs) once the input is in memory, so
 * the figure is what the command itself adds. Ratio = (input + added) / (input + output); goal &le; 1.5.
 * The network is a freshly initialised U-Net-256 with ngf 8: memory here is about images and tiles, and
 * a full-width network would take many minutes on a laptop's CPU. The line names the glibc settings in
 * force, which decide how much of libtorch's freed memory stays resident (./genij's GENIJ_MEMORY).
 */
final class TranslateMemoryBench {

	private TranslateMemoryBench() {}

	static void run() {
		int side = Integer.getInteger("genij.bench.side", 8192);
		Path folder = Paths.get("target", "bench", "translate-memory");
		try {
			Files.createDirectories(folder);
			Path weights = folder.resolve("unet256-ngf8.safetensors");
			try (NDManager m = GenIJEngine.get().newBaseManager()) {
				Map<String, WeightTensor> sd = TranslateBenchmarks.randomUnet(3, 8, 8, 1, m);
				Safetensors.write(weights, sd, null);
			}
			ImagePlus input = pattern(side);
			// As in a Fiji session, the engine has run before (its kernels and thread pools are set up once
			// per process); genij.bench.warm=false measures a process's first run instead.
			boolean warm = !"false".equals(System.getProperty("genij.bench.warm"));
			if (warm) {
				try (Context context = new Context()) {
					CommandModule cm = context.service(CommandService.class).run(TranslateCommand.class, true, "input", pattern(1024),
						"model", weights.toString(), "tilesize", 512).get();
					((ImagePlus) cm.getOutput("result")).close();
				}
			}
			long ioBytes = 2L * side * side * 4; // packed RGB in, packed RGB out
			System.gc();
			long before = ResidentMemory.bytes("VmRSS");
			boolean reset = ResidentMemory.resetPeak();
			try (Context context = new Context()) {
				// one tile size per process: glibc keeps what an earlier run freed, which would count against the next
				for (int tile : new int[] { Integer.getInteger("genij.bench.tile", 1024) }) {
					ResidentMemory.resetPeak();
					long t0 = System.nanoTime();
					CommandModule cm = context.service(CommandService.class).run(TranslateCommand.class, true, "input", input, "model",
						weights.toString(), "tilesize", tile).get();
					if (cm.isCanceled()) throw new IllegalStateException(cm.getCancelReason());
					long peak = ResidentMemory.bytes("VmHWM"), added = peak - before;
					double ratio = (ioBytes / 2.0 + added) / ioBytes;
					System.out.printf("translate memory, %dx%d RGB, U-Net-256 ngf 8, tiles of %d px, %s, allocator %s: ratio %.2f (added %.0f MB at peak " +
						"over %.0f MB resident before; input + output %.0f MB; %.1f s)%s; <= 1.5 is the goal%n", side, side, tile,
						warm ? "engine warm" : "first run", allocator(), ratio,
						added / 1e6, before / 1e6, ioBytes / 1e6, (System.nanoTime() - t0) / 1e9,
						reset ? "" : " [peak not resettable here: includes earlier use]");
					((ImagePlus) cm.getOutput("result")).close();
					System.gc();
				}
			}
		}
		catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The glibc settings in force (they decide how much freed memory stays resident). */
	private static String allocator() {
		String threshold = System.getenv("MALLOC_MMAP_THRESHOLD_"), tunables = System.getenv("GLIBC_TUNABLES");
		if (threshold == null && tunables == null) return "glibc defaults";
		return (threshold == null ? "" : "mmap threshold " + Long.parseLong(threshold) / 1024 + " kB") +
			(tunables == null ? "" : (threshold == null ? "" : ", ") + tunables);
	}

	private static ImagePlus pattern(int n) {
		ColorProcessor cp = new ColorProcessor(n, n);
		int[] p = (int[]) cp.getPixels();
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				int r = (int) (128 + 100 * Math.sin(x / 37.0)), g = (int) (128 + 100 * Math.cos(y / 23.0)), b = (x ^ y) & 255;
				p[y * n + x] = (r << 16) | (g << 8) | b;
			}
		return new ImagePlus("pattern", cp);
	}

	/** A field of /proc/self/status in bytes. */
}
