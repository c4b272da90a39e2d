package io.github.genij.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.SAXParserFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.Attributes;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The update site as Fiji's updater sees it: db.xml.gz valid against the updater's DTD, every file where
 * the index says, with its size, and a checksum recomputed here independently of the writer.
 */
class UpdateSiteTest {

	@Test
	void theIndexIsValidAndEveryChecksumMatchesUntilAByteChanges(@TempDir Path dir) throws Exception {
		Path jar = dir.resolve("genij-test.jar");
		writeJar(jar);
		Path macro = dir.resolve("GenIJ_Demo.ijm"), natives = dir.resolve("natives.jar");
		Files.writeString(macro, "print(\"hello\");\n");
		writeJar(natives);
		List<UpdateSiteWriter.Entry> entries = new ArrayList<>();
		UpdateSiteWriter.Entry main = new UpdateSiteWriter.Entry("jars/genij-test.jar", jar, null, "GenIJ & friends <test>");
		main.dependencies.add("jars/linux64/natives.jar");
		entries.add(main);
		entries.add(new UpdateSiteWriter.Entry("jars/linux64/natives.jar", natives, "linux64", "natives"));
		entries.add(new UpdateSiteWriter.Entry("macros/GenIJ_Demo.ijm", macro, null, "a macro"));
		Path site = dir.resolve("site");
		UpdateSiteWriter.write(site, entries, "20261123120000");

		Map<String, String[]> index = readValidated(site.resolve("db.xml.gz"));
		assertEquals(3, index.size());
		for (Map.Entry<String, String[]> e : index.entrySet()) {
			Path stored = site.resolve(e.getKey() + "-" + e.getValue()[1]);
			assertTrue(Files.isRegularFile(stored), "stored as path-timestamp: " + stored);
			assertEquals(Long.parseLong(e.getValue()[2]), Files.size(stored), e.getKey() + " size");
			assertEquals(e.getValue()[0], updaterChecksum(e.getKey(), stored), e.getKey() + " checksum");
		}
		// any changed byte, in a jar entry or a plain file, is caught
		for (String path : new String[] { "jars/genij-test.jar", "macros/GenIJ_Demo.ijm" }) {
			Path stored = site.resolve(path + "-20261123120000");
			byte[] b = Files.readAllBytes(stored);
			byte[] changed = path.endsWith(".jar") ? changeJarEntry(b) : b.clone();
			if (!path.endsWith(".jar")) changed[3] ^= 1;
			Files.write(stored, changed);
			assertTrue(!index.get(path)[0].equals(updaterChecksum(path, stored)), path + ": a changed byte changes the checksum");
		}
		// and an index that breaks the DTD is refused
		Path bad = dir.resolve("bad.xml.gz");
		try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bad))) {
			out.write(("<?xml version=\"1.0\"?>\n" + UpdateSiteWriter.DTD + "<pluginRecords><plugin/></pluginRecords>").getBytes(
				StandardCharsets.UTF_8));
		}
		assertThrows(SAXParseException.class, () -> readValidated(bad));
	}

	/** filename -> {checksum, timestamp, filesize}, parsed with the embedded DTD enforced. */
	private static Map<String, String[]> readValidated(Path db) throws Exception {
		SAXParserFactory f = SAXParserFactory.newInstance();
		f.setValidating(true);
		Map<String, String[]> index = new TreeMap<>();
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			f.newSAXParser().parse(in, new DefaultHandler() {
				String file;

				@Override
				public void startElement(String uri, String local, String name, Attributes a) {
					if (name.equals("plugin")) file = a.getValue("filename");
					if (name.equals("version")) index.put(file, new String[] { a.getValue("checksum"), a.getValue("timestamp"),
						a.getValue("filesize") });
				}

				@Override
				public void error(SAXParseException e) throws SAXParseException {
					throw e;
				}
			});
		}
		return index;
	}

	/** The updater's checksum, written here apart from the writer: entries streamed in name order. */
	private static String updaterChecksum(String path, Path file) throws Exception {
		MessageDigest md = MessageDigest.getInstance("SHA-1");
		if (!path.endsWith(".jar")) {
			md.update(path.getBytes(StandardCharsets.US_ASCII));
			md.update(Files.readAllBytes(file));
		}
		else {
			Map<String, byte[]> entries = new TreeMap<>();
			try (ZipInputStream z = new ZipInputStream(Files.newInputStream(file))) {
				for (ZipEntry e; (e = z.getNextEntry()) != null;) entries.put(e.getName(), z.readAllBytes());
			}
			for (Map.Entry<String, byte[]> e : entries.entrySet()) {
				md.update(e.getKey().getBytes(StandardCharsets.US_ASCII));
				if (e.getKey().equals("META-INF/MANIFEST.MF")) continue;
				if (!e.getKey().endsWith(".properties")) {
					md.update(e.getValue());
					continue;
				}
				for (String line : new String(e.getValue(), StandardCharsets.ISO_8859_1).split("(?<=\n)")) {
					md.update((line.startsWith("#") ? (line.endsWith("\n") ? "\n" : "") : line).getBytes(StandardCharsets.ISO_8859_1));
				}
			}
		}
		StringBuilder s = new StringBuilder();
		for (byte b : md.digest()) s.append(String.format("%02x", b));
		return s.toString();
	}

	private static void writeJar(Path jar) throws IOException {
		Manifest mf = new Manifest();
		mf.getMainAttributes().putValue("Manifest-Version", "1.0");
		mf.getMainAttributes().putValue("Created-By", "a build that changes every time");
		try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), mf)) {
			j.putNextEntry(new ZipEntry("io/github/genij/A.class"));
			j.write(new byte[] { (byte) 0xca, (byte) 0xfe, 1, 2, 3 });
			j.putNextEntry(new ZipEntry("META-INF/maven/pom.properties"));
			j.write("#Generated by Maven\n#Mon Nov 23 12:00:00 UTC 2026\nversion=0.1.0\n".getBytes(StandardCharsets.ISO_8859_1));
			j.putNextEntry(new ZipEntry("macros/x.txt"));
			j.write("z".getBytes(StandardCharsets.ISO_8859_1));
		}
	}

	/** The same jar with one byte of one entry changed (a real content change, not a container detail). */
	private static byte[] changeJarEntry(byte[] jar) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar));
			java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) {
				byte[] b = in.readAllBytes();
				if (e.getName().endsWith(".class")) b[2] ^= 1;
				z.putNextEntry(new ZipEntry(e.getName()));
				z.write(b);
			}
		}
		return out.toByteArray();
	}

	@Test
	void theProjectsOwnSiteVerifies(@TempDir Path dir) throws Exception {
		// the jar as Maven packs it: target/classes (plugin index, script templates included)
		Path jar = dir.resolve("genij-test.jar");
		Path classes = java.nio.file.Paths.get("target", "classes");
		try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar));
			java.util.stream.Stream<Path> files = Files.walk(classes)) {
			for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
				j.putNextEntry(new ZipEntry(classes.relativize(f).toString().replace('\\', '/')));
				j.write(Files.readAllBytes(f));
			}
		}
		// the DJL jars the build resolved (group ai.djl, ai.djl.pytorch), as the profile copies them
		List<Path> deps = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
			if (entry.replace('\\', '/').contains("/ai/djl/") && entry.endsWith(".jar")) deps.add(java.nio.file.Paths.get(entry));
		assertEquals(4, deps.size(), "api, pytorch-engine, pytorch-jni, pytorch-native-cpu: " + deps);
		List<UpdateSiteWriter.Entry> entries = UpdateSiteWriter.collect(jar, deps, java.nio.file.Paths.get("."));
		Path site = dir.resolve("site");
		UpdateSiteWriter.write(site, entries, "20261123130000");
		Map<String, String[]> index = readValidated(site.resolve("db.xml.gz"));
		assertTrue(index.containsKey("jars/genij-test.jar"));
		assertTrue(index.keySet().stream().anyMatch(k -> k.startsWith("jars/linux64/pytorch-native-cpu")), index.keySet().toString());
		assertTrue(index.containsKey("macros/GenIJ_Batch_Translate.ijm"));
		assertTrue(index.containsKey("models/genij/reference-checkpoints.json"));
		for (Map.Entry<String, String[]> e : index.entrySet()) {
			Path stored = site.resolve(e.getKey() + "-" + e.getValue()[1]);
			assertEquals(Long.parseLong(e.getValue()[2]), Files.size(stored), e.getKey());
			assertEquals(e.getValue()[0], updaterChecksum(e.getKey(), stored), e.getKey());
		}
	}

	@Test
	void commentsInPropertiesAndTheManifestDoNotChangeTheChecksum(@TempDir Path dir) throws IOException {
		assertEquals("\n\nversion=1\n", new String(UpdateSiteWriter.withoutComments("#a\n#b\nversion=1\n".getBytes(
			StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1));
		Path a = dir.resolve("a.jar"), b = dir.resolve("b.jar");
		writeJar(a);
		Thread.yield();
		writeJar(b);
		assertEquals(UpdateSiteWriter.checksum("jars/a.jar", a), UpdateSiteWriter.checksum("jars/a.jar", b));
	}
}
