package io.github.genij.core.weights;

import java.util.Map;

import io.github.genij.core.family.Families;
import io.github.genij.core.family.ModelFamily;

/**
 * Recognises a checkpoint's architecture from its key names and sizes from its shapes, so users can
 * import {@code latest_net_G.pth} without knowing how it was trained. Each family recognises its own
 * ({@link ModelFamily#recognise}); this only asks them in turn.
 */
public final class ArchitectureDetector {

	/** What was recognised: family, architecture, the parameters to build it, its value preset. */
	public static final class Detection {
		public final String family, architecture, preset;
		public final Map<String, Object> parameters;

		public Detection(String family, String architecture, String preset, Map<String, Object> parameters) {
			this.family = family;
			this.architecture = architecture;
			this.preset = preset;
			this.parameters = parameters;
		}

		@Override
		public String toString() {
			return family + "/" + architecture + " " + parameters;
		}
	}

	private ArchitectureDetector() {}

	/** The architecture these keys belong to, asking every registered family in turn; null if none knows them. */
	public static Detection detect(Map<String, WeightTensor> sd) {
		for (ModelFamily f : Families.all()) {
			Detection d = f.recognise(sd);
			if (d != null) return d;
		}
		return null;
	}

	/** The checkpoint converted by the first family that knows its layout, or null (see {@link ModelFamily#convert}). */
	public static ModelFamily.Converted convert(TorchCheckpoint checkpoint) {
		for (ModelFamily f : Families.all()) {
			ModelFamily.Converted c = f.convert(checkpoint);
			if (c != null) return c;
		}
		return null;
	}
}
