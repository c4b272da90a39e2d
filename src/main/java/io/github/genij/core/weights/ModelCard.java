package io.github.genij.core.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * What GenIJ knows about an installed model, stored as {@code model.json} beside its
 * {@code weights.safetensors}. The schema is documented in {@code models/README.md}.
 */
public final class ModelCard {

	public static final String SCHEMA = "genij-model-card/1";
	public static final String FILE_NAME = "model.json";
	public static final String WEIGHTS_FILE = "weights.safetensors";

	public String schema = SCHEMA;
	public String name;
	/** The name of a registered model family (core.family.ModelFamily), or "unknown". */
	public String family;
	/** The architecture within the family (unet_256, resnet_9blocks, adain_decoder, ...). */
	public String architecture;
	/** What the architecture needs to be built (ngf, input_nc, n_blocks, norm, ...). */
	public Map<String, Object> parameters = new LinkedHashMap<>();
	/** The value convention (see io.github.genij.core.tensor.ValuePreset): symmetric, unit, byte_range, ... */
	public String preset;
	public String weights = WEIGHTS_FILE;
	/** SHA-256 (hex) of the weights file, checked whenever the model is loaded. */
	public String sha256;
	public String licence;
	public String description;
	public Provenance provenance = new Provenance();

	/** Where the weights came from. */
	public static final class Provenance {
		/** The file or URL imported. */
		public String source;
		/** SHA-256 of the original file, before conversion. */
		public String sourceSha256;
		/** zip, legacy or safetensors. */
		public String sourceFormat;
		public String imported;
		public String tool;
		/** Anything else worth keeping (training settings, rewrites applied). */
		public Map<String, Object> notes = new LinkedHashMap<>();
	}

	private static Gson gson() {
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
	}

	public String toJson() {
		return gson().toJson(this);
	}

	public static ModelCard read(Path file) {
		try {
			ModelCard card = gson().fromJson(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), ModelCard.class);
			if (card == null || !SCHEMA.equals(card.schema))
				throw new CheckpointException(file + " is not a GenIJ model card (schema " + (card == null ? "none" : card.schema) + ").");
			if (card.name == null || card.family == null || card.weights == null)
				throw new CheckpointException(file + " lacks name, family or weights.");
			card.parameters = wholeNumbers(card.parameters);
			return card;
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		catch (JsonParseException e) {
			throw new CheckpointException(file + " is not valid JSON: " + e.getMessage(), e);
		}
	}

	/** JSON has one kind of number: whole ones come back as longs (ngf 8, not 8.0). */
	private static Map<String, Object> wholeNumbers(Map<String, Object> p) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (p == null) return out;
		p.forEach((k, v) -> {
			if (v instanceof Double && (Double) v == Math.rint((Double) v) && !Double.isInfinite((Double) v)) out.put(k, ((Double) v).longValue());
			else out.put(k, v);
		});
		return out;
	}

	/** Writes the card atomically (temporary file, then rename). */
	public void write(Path file) {
		Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
		try {
			Files.write(tmp, toJson().getBytes(StandardCharsets.UTF_8));
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot write " + file + ": " + e.getMessage(), e);
		}
	}
}
