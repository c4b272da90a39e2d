package io.github.genij.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of files, as lower-case hex. */
public final class Hashing {

	private Hashing() {}

	public static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java has SHA-256", e);
		}
	}

	public static String sha256(Path file) {
		MessageDigest md = sha256();
		byte[] buf = new byte[1 << 16];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		return hex(md.digest());
	}

	public static String hex(byte[] digest) {
		StringBuilder s = new StringBuilder();
		for (byte b : digest) s.append(String.format("%02x", b));
		return s.toString();
	}

	/** True if {@code actual} matches {@code expected}, which may be a full digest or a prefix of one (torchvision names files by the first 8 hex digits). */
	public static boolean matches(String expected, String actual) {
		if (expected == null || expected.isEmpty()) return true;
		String e = expected.trim().toLowerCase(java.util.Locale.ROOT);
		return e.length() >= 8 && actual.startsWith(e);
	}
}
