package io.github.genij.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

/**
 * The reference checkpoints GenIJ knows (models/reference-checkpoints.json, shipped in the jar): name,
 * family, architecture, source address, SHA-256 where known, licence.
 */
public final class ReferenceCheckpoints {

	static final String RESOURCE = "/genij/reference-checkpoints.json";

	/** One known checkpoint. */
	public static final class Entry {
		public String name, family, architecture, url, sha256, licence, source, notes;
	}

	private static List<Entry> entries;

	private ReferenceCheckpoints() {}

	public static synchronized List<Entry> all() {
		if (entries == null) {
			try (InputStream in = ReferenceCheckpoints.class.getResourceAsStream(RESOURCE)) {
				if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the GenIJ jar");
				try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
					List<Entry> list = new Gson().fromJson(r, new TypeToken<List<Entry>>() {}.getType());
					entries = Collections.unmodifiableList(new ArrayList<>(list));
				}
			}
			catch (IOException e) {
				throw new IllegalStateException("cannot read " + RESOURCE, e);
			}
		}
		return entries;
	}

	/** The entry for a name or an address, or null. */
	public static Entry find(String nameOrUrl) {
		for (Entry e : all())
			if (nameOrUrl.equals(e.name) || nameOrUrl.equals(e.url)) return e;
		return null;
	}
}
