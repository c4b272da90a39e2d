package io.github.genij.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;

import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;

/**
 * Fetches a weights file from an https (or http, or file) URL into a temporary file, hashing it with
 * SHA-256 as it streams and reporting progress. A file whose digest does not match the expected one is
 * deleted and refused.
 */
public final class Downloads {

	/** Nothing GenIJ installs is larger than this. */
	static final long MAX_BYTES = 16L << 30;

	private Downloads() {}

	/** A downloaded file and its SHA-256. The caller moves or deletes the file. */
	public static final class Fetched {
		public final Path file;
		public final String sha256;

		Fetched(Path file, String sha256) {
			this.file = file;
			this.sha256 = sha256;
		}
	}

	/**
	 * @param expectedSha256 the full digest, or a prefix of at least 8 hex digits, or null to accept any
	 *        (the digest is then recorded, trust on first use)
	 */
	public static Fetched fetch(URI uri, String expectedSha256, Path folder, Progress progress) {
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("file"))
			throw new GenIJException("Cannot download " + uri + ": only https, http and file addresses are supported.");
		Path tmp = null;
		try {
			Files.createDirectories(folder);
			tmp = Files.createTempFile(folder, ".download-", ".part");
			URLConnection c = uri.toURL().openConnection();
			c.setConnectTimeout(30_000);
			c.setReadTimeout(60_000);
			if (c instanceof HttpURLConnection) {
				int code = ((HttpURLConnection) c).getResponseCode();
				if (code != 200) throw new GenIJException("Downloading " + uri + " failed: the server answered " + code + ".");
			}
			long total = c.getContentLengthLong();
			if (total > MAX_BYTES) throw new GenIJException(uri + " is " + total + " bytes, more than GenIJ accepts.");
			MessageDigest md = Hashing.sha256();
			long done = 0;
			byte[] buf = new byte[1 << 16];
			try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
				for (int n; (n = in.read(buf)) > 0;) {
					progress.checkCancelled();
					md.update(buf, 0, n);
					out.write(buf, 0, n);
					done += n;
					if (done > MAX_BYTES) throw new GenIJException(uri + " is larger than GenIJ accepts.");
					progress.progress(done, total > 0 ? total : done);
				}
			}
			String sha = Hashing.hex(md.digest());
			if (!Hashing.matches(expectedSha256, sha)) {
				throw new GenIJException("The file downloaded from " + uri + " has SHA-256 " + sha + ", not the expected " +
					expectedSha256 + ": it is not the file GenIJ expects (damaged, or changed on the server). Nothing was installed.");
			}
			progress.log("Downloaded " + done + " bytes from " + uri + " (SHA-256 " + sha + ")");
			Path result = tmp;
			tmp = null;
			return new Fetched(result, sha);
		}
		catch (IOException e) {
			throw new GenIJException("Downloading " + uri + " failed: " + e.getMessage() + ". Check the address and the " +
				"network, or download the file yourself and import it from disk.", e);
		}
		finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				}
				catch (IOException e) {
					// a hidden temporary file; the failure itself has been reported
				}
			}
		}
	}
}
