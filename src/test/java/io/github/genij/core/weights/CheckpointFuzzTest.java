package io.github.genij.core.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and forged weights files: whatever a mutation does, reading ends in success or in our own
 * {@link CheckpointException}, quickly; never an OutOfMemoryError, a StackOverflowError, another
 * exception, or a hang.
 */
public class CheckpointFuzzTest {

	private static final int MUTATIONS_PER_FILE = 300;
	/** A hang shows as seconds upon seconds; a GC pause on a loaded CI machine does not reach this. */
	private static final long SLOWEST_ALLOWED_MS = 10_000;

	/** Sizes a forger would try: lengths and counts that claim far more than the file holds. */
	private static final long[] FORGED = { 0x7fffffffL, 0xffffffffL, 0x80000000L, 1L << 40, -1L, 1L << 62, 0x10000L };

	@Test
	void mutatedCheckpointsFailCleanly(@TempDir Path dir) throws IOException {
		Path fixtures = TorchCheckpointTest.fixtures();
		List<Path> originals = new ArrayList<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(fixtures, "*.{pth,safetensors}")) {
			ds.forEach(originals::add);
		}
		assertTrue(originals.size() >= 12, "fixtures found: " + originals);
		Random random = new Random(2026);
		int cases = 0, readable = 0;
		long slowest = 0;
		for (Path original : originals) {
			byte[] good = Files.readAllBytes(original);
			for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
				byte[] bad = mutate(good, random);
				Path file = dir.resolve("case" + (cases % 7) + original.getFileName());
				Files.write(file, bad);
				long start = System.nanoTime();
				try {
					if (original.toString().endsWith(".safetensors")) Safetensors.read(file);
					else TorchCheckpoint.read(file).stateDict();
					readable++;
				}
				catch (CheckpointException expected) {
					// the clean way to fail
				}
				catch (Throwable t) {
					fail("mutation " + i + " of " + original.getFileName() + " escaped as " + t, t);
				}
				slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
				cases++;
			}
		}
		assertTrue(slowest < SLOWEST_ALLOWED_MS, "slowest case took " + slowest + " ms");
		assertTrue(readable < cases, "the mutations really damage files");
		System.out.println("fuzz: " + cases + " damaged files, " + readable + " still readable, slowest " + slowest + " ms");
	}

	/** A 1 kB file whose shared references make 4^60 paths: refused in one line, quickly, in all three formats. */
	@Test
	void sharedReferencesCannotStallTheReader() {
		Path folder = io.github.genij.testing.PythonOracle.generate("shared_objects_fixture.py");
		for (String file : new String[] { "shared_lists.pth", "shared_lists_legacy.pth", "shared_lists.pkl" }) {
			long start = System.nanoTime();
			CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(folder.resolve(file)));
			long ms = (System.nanoTime() - start) / 1_000_000;
			assertTrue(e.getMessage().contains("shares its objects so often"), e.getMessage());
			assertTrue(ms < SLOWEST_ALLOWED_MS, file + " took " + ms + " ms");
		}
	}

	public static byte[] mutate(byte[] good, Random r) {
		byte[] b = good.clone();
		switch (r.nextInt(6)) {
			case 0: { // truncate
				return java.util.Arrays.copyOf(b, r.nextInt(b.length));
			}
			case 1: { // flip a few bytes
				for (int n = 1 + r.nextInt(8); n > 0; n--) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
				return b;
			}
			case 2: { // forge a size: 4 or 8 bytes of a huge number, little-endian
				long v = FORGED[r.nextInt(FORGED.length)];
				int width = r.nextBoolean() ? 4 : 8, at = r.nextInt(Math.max(1, b.length - width));
				for (int k = 0; k < width && at + k < b.length; k++) b[at + k] = (byte) (v >>> (8 * k));
				return b;
			}
			case 3: { // inject pickle opcodes that allocate or call
				byte[] ops = { 'B', 'X', 'T', (byte) 0x8b, (byte) 0x8d, 'R', 'b', 'u', 'e', 'c', (byte) 0x93, 'Q', 'h', 'j', '(', '.' };
				int at = r.nextInt(b.length);
				b[at] = ops[r.nextInt(ops.length)];
				if (at + 4 < b.length && r.nextBoolean()) { b[at + 1] = -1; b[at + 2] = -1; b[at + 3] = -1; b[at + 4] = 0x7f; }
				return b;
			}
			case 4: { // splice: copy a chunk over another place
				int len = 1 + r.nextInt(Math.min(64, b.length)), from = r.nextInt(b.length - len + 1),
					to = r.nextInt(b.length - len + 1);
				System.arraycopy(good, from, b, to, len);
				return b;
			}
			default: { // zero a run
				int len = 1 + r.nextInt(Math.min(32, b.length)), at = r.nextInt(b.length - len + 1);
				java.util.Arrays.fill(b, at, at + len, (byte) 0);
				return b;
			}
		}
	}
}
