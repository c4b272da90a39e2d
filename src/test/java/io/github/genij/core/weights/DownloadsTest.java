package io.github.genij.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;

/** Downloads from a server on the loopback address only. */
class DownloadsTest {

	@TempDir
	Path dir;
	private HttpServer server;
	private byte[] payload;
	private String base;

	@BeforeEach
	void serve() throws IOException {
		payload = new byte[300_000];
		new java.util.Random(1).nextBytes(payload);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/weights.pth", x -> {
			x.sendResponseHeaders(200, payload.length);
			try (OutputStream o = x.getResponseBody()) {
				o.write(payload);
			}
		});
		server.createContext("/missing.pth", x -> {
			x.sendResponseHeaders(404, -1);
			x.close();
		});
		server.start();
		base = "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	private String sha() {
		return Hashing.hex(Hashing.sha256().digest(payload));
	}

	@Test
	void aMatchingDownloadArrivesWithProgress() throws IOException {
		AtomicLong last = new AtomicLong();
		Progress p = new Progress() {
			@Override public void status(String m) {}
			@Override public void progress(long done, long total) { last.set(done); assertEquals(payload.length, total); }
			@Override public void log(String m) {}
			@Override public boolean isCancelled() { return false; }
		};
		Downloads.Fetched f = Downloads.fetch(URI.create(base + "/weights.pth"), sha(), dir, p);
		assertEquals(sha(), f.sha256);
		assertEquals(payload.length, last.get());
		assertTrue(java.util.Arrays.equals(payload, Files.readAllBytes(f.file)));
		// a prefix of the digest (torchvision style) is accepted too
		Downloads.fetch(URI.create(base + "/weights.pth"), sha().substring(0, 8), dir, Progress.NONE);
	}

	@Test
	void aWrongDigestOrAMissingFileLeavesNothingBehind() throws IOException {
		GenIJException e = assertThrows(GenIJException.class,
			() -> Downloads.fetch(URI.create(base + "/weights.pth"), "deadbeefdeadbeef", dir, Progress.NONE));
		assertTrue(e.getMessage().contains("not the expected deadbeefdeadbeef"), e.getMessage());
		e = assertThrows(GenIJException.class, () -> Downloads.fetch(URI.create(base + "/missing.pth"), null, dir, Progress.NONE));
		assertTrue(e.getMessage().contains("answered 404"), e.getMessage());
		e = assertThrows(GenIJException.class, () -> Downloads.fetch(URI.create("ftp://x/y"), null, dir, Progress.NONE));
		assertTrue(e.getMessage().contains("only https"), e.getMessage());
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(0, files.count(), "no partial download left");
		}
	}

	@Test
	void importFromAnAddressInstallsTheModel() throws IOException {
		payload = Files.readAllBytes(TorchCheckpointTest.fixtures().resolve("arch_fast_style.pth"));
		ModelStore store = new ModelStore(dir.resolve("store"));
		CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(base + "/weights.pth", "auto", "auto", "candy",
			sha(), store, false, Progress.NONE);
		assertEquals("fast_transformer", r.card.architecture);
		assertEquals(base + "/weights.pth", r.card.provenance.source);
		try (Stream<Path> files = Files.list(store.root())) {
			assertEquals(1, files.count(), "the temporary download is gone, the model is there");
		}
	}
}
