package io.github.genij.core.weights;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.progress.Progress;

/**
 * Turns a checkpoint people own (a file or an address) into an installed GenIJ model: reads it, applies
 * the rewrites every family needs (DataParallel prefix, spectral and weight norm folded), recognises the
 * architecture where it can, and installs card and safetensors into a {@link ModelStore}.
 */
public final class CheckpointImporter {

	/** What an import did. */
	public static final class Result {
		public final ModelCard card;
		public final Path folder;
		public final String report;

		Result(ModelCard card, Path folder, String report) {
			this.card = card;
			this.folder = folder;
			this.report = report;
		}
	}

	private CheckpointImporter() {}

	/**
	 * @param source a file path or an http(s) address
	 * @param family the family, or "auto" to take the detected one
	 * @param arch the architecture, or "auto" to detect it from the keys
	 * @param expectedSha256 for downloads: the expected digest (or a prefix), or null
	 */
	public static Result importCheckpoint(String source, String family, String arch, String name, String expectedSha256,
		ModelStore store, boolean replace, Progress progress)
	{
		ModelStore.checkName(name);
		if (store.contains(name) && !replace) {
			throw new GenIJException("A model named '" + name + "' is already installed. Choose another name, or give replace=true to replace it.");
		}
		Path file;
		Path downloaded = null;
		if (source.matches("(?i)^(https?|file)://.*")) {
			progress.status("Downloading " + source);
			Downloads.Fetched f = Downloads.fetch(URI.create(source), expectedSha256, store.root(), progress);
			file = downloaded = f.file;
		}
		else file = Path.of(source);
		try {
			progress.status("Reading " + file.getFileName());
			String sourceSha = Hashing.sha256(file);
			if (downloaded == null && !Hashing.matches(expectedSha256, sourceSha))
				throw new GenIJException(file + " has SHA-256 " + sourceSha + ", not the expected " + expectedSha256 + ".");
			boolean safetensors = Safetensors.looksLike(file);
			String format = safetensors ? "safetensors" : null;
			Map<String, WeightTensor> sd;
			ModelFamily.Converted converted = null;
			if (safetensors) sd = Safetensors.read(file);
			else {
				TorchCheckpoint ckpt = TorchCheckpoint.read(file);
				format = ckpt.format();
				converted = ArchitectureDetector.convert(ckpt);
				sd = converted != null ? converted.stateDict : ckpt.stateDict();
			}
			int before = sd.size();
			sd = ImportRewrites.stripPrefix(sd, "module.");
			sd = ImportRewrites.foldWeightNorm(ImportRewrites.foldSpectralNorm(sd));
			if (sd.isEmpty()) throw new GenIJException(file.getFileName() + " holds no tensors.");

			ArchitectureDetector.Detection d = converted != null ? converted.detection : ArchitectureDetector.detect(sd);
			ModelCard card = new ModelCard();
			card.name = name;
			card.family = pick(family, d == null ? null : d.family, "family");
			card.architecture = pick(arch, d == null ? null : d.architecture, "arch");
			if (d != null && card.architecture.equals(d.architecture)) {
				card.parameters.putAll(d.parameters);
				card.preset = d.preset;
			}
			card.provenance.source = downloaded != null ? source : file.toAbsolutePath().toString();
			card.provenance.sourceSha256 = sourceSha;
			card.provenance.sourceFormat = format;
			card.provenance.imported = Instant.now().toString();
			card.provenance.tool = "GenIJ " + version();
			ReferenceCheckpoints.Entry ref = ReferenceCheckpoints.find(source);
			if (ref != null) card.licence = ref.licence;

			progress.status("Installing " + name);
			Path folder = store.install(card, sd, replace);
			StringBuilder report = new StringBuilder();
			report.append("imported: ").append(file.getFileName()).append(" (").append(format).append(", SHA-256 ")
				.append(sourceSha).append(")\n");
			report.append("model: ").append(name).append(" -> ").append(folder).append('\n');
			report.append("recognised: ").append(d == null ? "no (family and arch as given)" : d.toString()).append('\n');
			report.append("tensors: ").append(sd.size()).append(" (").append(before).append(" in the file before rewrites)\n");
			for (Map.Entry<String, WeightTensor> e : new LinkedHashMap<>(sd).entrySet())
				report.append("  ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
			return new Result(card, folder, report.toString());
		}
		finally {
			if (downloaded != null) {
				try {
					Files.deleteIfExists(downloaded);
				}
				catch (java.io.IOException e) {
					// only a temporary file
				}
			}
		}
	}

	private static String pick(String given, String detected, String key) {
		boolean asked = given != null && !given.isEmpty() && !given.equalsIgnoreCase("auto");
		if (asked && detected != null && !given.equals(detected)) {
			throw new GenIJException(key + "=" + given + " was given, but the checkpoint's keys are those of " + detected +
				". Use " + key + "=auto, or check the file.");
		}
		if (asked) return given;
		if (detected != null) return detected;
		throw new GenIJException("The architecture could not be recognised from the checkpoint's keys; give " + key +
			"=... (see models/README.md for the names).");
	}

	private static String version() {
		String v = CheckpointImporter.class.getPackage().getImplementationVersion();
		return v == null ? "(development)" : v;
	}
}
