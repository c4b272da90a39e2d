package io.github.genij.site;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a Fiji update site: {@code db.xml.gz} (with the updater's DTD) and every file stored as
 * {@code <path>-<yyyyMMddHHmmss>}, with the checksums Fiji's updater computes (DESIGN.md section 8):
 * SHA-1 over the path then the content for plain files; for jars, over the entries sorted by name, each
 * its name then its content, '#' lines of .properties reduced to their newline and the manifest's content
 * left out. Run by {@code mvn -Pupdate-site package}; see update-site/README.md.
 */
public final class UpdateSiteWriter {

	/** The updater's document type, embedded so that Fiji (and our test) can validate the index. */
	static final String DTD = "<!DOCTYPE pluginRecords [\n" +
		"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n" +
		"<!ELEMENT update-site EMPTY>\n<!ELEMENT disabled-update-site EMPTY>\n" +
		"<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n" +
		"<!ELEMENT version (description?, dependency*, link*, author*)>\n<!ELEMENT previous-version EMPTY>\n" +
		"<!ELEMENT description (#PCDATA)>\n<!ELEMENT dependency EMPTY>\n<!ELEMENT link (#PCDATA)>\n" +
		"<!ELEMENT author (#PCDATA)>\n<!ELEMENT platform (#PCDATA)>\n<!ELEMENT category (#PCDATA)>\n" +
		"<!ATTLIST update-site name CDATA #REQUIRED>\n<!ATTLIST update-site url CDATA #REQUIRED>\n" +
		"<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site description CDATA #IMPLIED>\n<!ATTLIST update-site maintainer CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site timestamp CDATA #REQUIRED>\n<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin update-site CDATA #IMPLIED>\n<!ATTLIST plugin filename CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin executable CDATA #IMPLIED>\n<!ATTLIST dependency filename CDATA #REQUIRED>\n" +
		"<!ATTLIST dependency timestamp CDATA #IMPLIED>\n<!ATTLIST dependency overrides CDATA #IMPLIED>\n" +
		"<!ATTLIST version timestamp CDATA #REQUIRED>\n<!ATTLIST version checksum CDATA #REQUIRED>\n" +
		"<!ATTLIST version filesize CDATA #REQUIRED>\n<!ATTLIST previous-version filename CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

	/** One file the site publishes. */
	static final class Entry {
		final String path;
		final Path source;
		final String platform, description;
		final List<String> dependencies = new ArrayList<>();

		Entry(String path, Path source, String platform, String description) {
			this.path = path;
			this.source = source;
			this.platform = platform;
			this.description = description;
		}
	}

	private UpdateSiteWriter() {}

	/** {@code mvn -Pupdate-site package}: site folder, the GenIJ jar, the folder of dependency jars, the project folder. */
	public static void main(String[] args) throws IOException {
		Path site = Paths.get(args[0]), jar = Paths.get(args[1]), deps = Paths.get(args[2]), project = Paths.get(args[3]);
		List<Path> depJars;
		try (Stream<Path> s = Files.list(deps)) {
			depJars = s.sorted().collect(Collectors.toList());
		}
		List<Entry> entries = collect(jar, depJars, project);
		write(site, entries, timestamp());
		System.out.println("update site written to " + site + " (" + entries.size() + " files)");
	}

	/** What the site publishes: GenIJ, its DJL jars (natives as a linux64 platform jar), macros, the model list. */
	static List<Entry> collect(Path jar, List<Path> depJars, Path project) throws IOException {
		List<Entry> entries = new ArrayList<>();
		Entry genij = new Entry("jars/" + jar.getFileName(), jar, null,
			"GenIJ: generative image networks (style transfer, image-to-image translation) as Fiji commands.");
		entries.add(genij);
		for (Path d : depJars) {
			String name = d.getFileName().toString();
			boolean linuxNatives = name.startsWith("pytorch-native-") && name.contains("linux-x86_64");
			Entry e = new Entry(linuxNatives ? "jars/linux64/" + name : "jars/" + name, d, linuxNatives ? "linux64" : null,
				linuxNatives ? "PyTorch CPU natives for 64-bit Linux (DJL)." : "Deep Java Library: " + name);
			entries.add(e);
			if (!linuxNatives) genij.dependencies.add(e.path);
		}
		try (Stream<Path> s = Files.list(project.resolve("macros"))) {
			for (Path m : s.filter(p -> p.toString().endsWith(".ijm")).sorted().collect(Collectors.toList()))
				entries.add(new Entry("macros/" + m.getFileName(), m, null, "GenIJ macro"));
		}
		for (String f : new String[] { "reference-checkpoints.json", "README.md" })
			entries.add(new Entry("models/genij/" + f, project.resolve("models").resolve(f), null, "GenIJ model list"));
		return entries;
	}

	static String timestamp() {
		return LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
	}

	/** Copies every file to {@code <path>-<timestamp>} and writes the index. */
	static void write(Path site, List<Entry> entries, String timestamp) throws IOException {
		Files.createDirectories(site);
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").append(DTD).append("<pluginRecords>\n");
		for (Entry e : entries) {
			Path stored = site.resolve(e.path + "-" + timestamp);
			Files.createDirectories(stored.getParent());
			Files.copy(e.source, stored, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			xml.append("  <plugin filename=\"").append(escape(e.path)).append("\">\n");
			if (e.platform != null) xml.append("    <platform>").append(e.platform).append("</platform>\n");
			xml.append("    <version checksum=\"").append(checksum(e.path, e.source)).append("\" timestamp=\"").append(timestamp)
				.append("\" filesize=\"").append(Files.size(e.source)).append("\">\n");
			xml.append("      <description>").append(escape(e.description)).append("</description>\n");
			for (String d : e.dependencies)
				xml.append("      <dependency filename=\"").append(escape(d)).append("\" timestamp=\"").append(timestamp).append("\"/>\n");
			xml.append("      <author>GenIJ team</author>\n    </version>\n  </plugin>\n");
		}
		xml.append("</pluginRecords>\n");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(site.resolve("db.xml.gz")));
			Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
			w.write(xml.toString());
		}
	}

	private static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	/** The updater's checksum of a file published under {@code path}. */
	static String checksum(String path, Path file) throws IOException {
		MessageDigest md = sha1();
		if (path.endsWith(".jar")) {
			try (JarFile jar = new JarFile(file.toFile())) {
				List<JarEntry> list = Collections.list(jar.entries());
				list.sort((a, b) -> a.getName().compareTo(b.getName()));
				for (JarEntry e : list) {
					md.update(e.getName().getBytes(StandardCharsets.US_ASCII));
					if (e.getName().equals("META-INF/MANIFEST.MF")) continue; // the updater keeps none of it
					try (InputStream in = jar.getInputStream(e)) {
						byte[] content = in.readAllBytes();
						md.update(e.getName().endsWith(".properties") ? withoutComments(content) : content);
					}
				}
			}
		}
		else {
			md.update(path.getBytes(StandardCharsets.US_ASCII));
			md.update(Files.readAllBytes(file));
		}
		StringBuilder hex = new StringBuilder();
		for (byte b : md.digest()) hex.append(String.format("%02x", b));
		return hex.toString();
	}

	/** Lines starting with '#' reduced to their newline, as the updater reads .properties files. */
	static byte[] withoutComments(byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		boolean lineStart = true, comment = false;
		for (byte b : content) {
			if (lineStart && b == '#') comment = true;
			if (!comment || b == '\n') out.write(b);
			lineStart = b == '\n';
			if (b == '\n') comment = false;
		}
		return out.toByteArray();
	}

	static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
