package io.github.genij.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's real images: scikit-image's sample photos and textures, taken from Debian's python3-skimage
 * package at first use (apt-get download, unpacked with dpkg -x; nothing is installed) and cached under
 * target/demo-data. No third-party image is committed to the project. Where apt is unavailable the demo
 * falls back to generated stand-ins.
 */
final class DemoData {

	static final String SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data";

	private DemoData() {}

	/** The folder holding skimage's images, or null if it cannot be had here. */
	static Path skimage(Path cache, PrintStream out) {
		Path data = cache.resolve("skimage").resolve(SKIMAGE_DATA);
		if (Files.isRegularFile(data.resolve("chelsea.png"))) return data;
		try {
			Files.createDirectories(cache);
			out.println("  fetching scikit-image's sample images (Debian package python3-skimage, ~20 MB) ...");
			if (!run(cache, 300, "apt-get", "download", "python3-skimage")) return null;
			Path deb;
			try (Stream<Path> s = Files.list(cache)) {
				deb = s.filter(p -> p.getFileName().toString().startsWith("python3-skimage_")).findFirst().orElse(null);
			}
			if (deb == null || !run(cache, 120, "dpkg", "-x", deb.toString(), cache.resolve("skimage").toString())) return null;
			Files.deleteIfExists(deb);
			return Files.isRegularFile(data.resolve("chelsea.png")) ? data : null;
		}
		catch (IOException e) {
			return null;
		}
	}

	private static boolean run(Path dir, int seconds, String... command) {
		try {
			Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
				.redirectOutput(new File(dir.toFile(), "fetch.log")).start();
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				return false;
			}
			return p.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
