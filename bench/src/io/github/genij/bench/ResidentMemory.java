package io.github.genij.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** The process's resident memory from Linux's /proc/self/status, and its high-water mark's reset. */
final class ResidentMemory {

	private ResidentMemory() {}

	/** {@code VmRSS} (now) or {@code VmHWM} (the peak since the last reset), in bytes. */
	static long bytes(String field) throws IOException {
		for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8))
			if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
		throw new IOException("no " + field + " in /proc/self/status");
	}

	/** Resets the resident high-water mark (Linux 4.0+); false where that is not allowed. */
	static boolean resetPeak() {
		try {
			Files.writeString(Paths.get("/proc/self/clear_refs"), "5");
			return true;
		}
		catch (IOException | SecurityException e) {
			return false;
		}
	}
}
