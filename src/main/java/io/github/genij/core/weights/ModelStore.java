package io.github.genij.core.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.genij.core.GenIJException;

/**
 * Where installed models live: one folder per model holding {@code model.json} and
 * {@code weights.safetensors}. In Fiji that is {@code Fiji.app/models/genij/}; elsewhere
 * {@code ~/.genij/models/}; {@code -Dgenij.models=...} or {@code GENIJ_MODELS} choose another.
 * Installs are atomic (a hidden folder renamed into place), and loading checks the weights' SHA-256.
 */
public final class ModelStore {

	public static final String PROPERTY = "genij.models", ENVIRONMENT = "GENIJ_MODELS";
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final Path root;

	public ModelStore(Path root) {
		this.root = root;
	}

	/** The store for this process: the property, the environment, Fiji's models folder, or the home folder. */
	public static ModelStore defaultStore() {
		String p = System.getProperty(PROPERTY);
		if (p == null) p = System.getenv(ENVIRONMENT);
		if (p != null && !p.isEmpty()) return new ModelStore(Paths.get(p));
		String fiji = System.getProperty("imagej.dir");
		if (fiji == null) fiji = System.getProperty("ij.dir");
		if (fiji != null) return new ModelStore(Paths.get(fiji, "models", "genij"));
		return new ModelStore(Paths.get(System.getProperty("user.home"), ".genij", "models"));
	}

	public Path root() {
		return root;
	}

	public static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches())
			throw new GenIJException("'" + name + "' is not a usable model name: use letters, digits, '.', '_' or '-' " +
				"(at most 64, starting with a letter or digit).");
	}

	public boolean contains(String name) {
		return Files.isRegularFile(root.resolve(name).resolve(ModelCard.FILE_NAME));
	}

	/** The cards of every installed model, by name. */
	public List<ModelCard> list() {
		List<ModelCard> cards = new ArrayList<>();
		if (!Files.isDirectory(root)) return cards;
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
			for (Path dir : ds) {
				Path card = dir.resolve(ModelCard.FILE_NAME);
				if (!dir.getFileName().toString().startsWith(".") && Files.isRegularFile(card)) cards.add(ModelCard.read(card));
			}
		}
		catch (IOException e) {
			throw new GenIJException("Cannot list " + root + ": " + e.getMessage(), e);
		}
		cards.sort(Comparator.comparing(c -> c.name));
		return cards;
	}

	/** An installed model: its card and its weights, checked against the card's SHA-256. */
	public static final class Installed {
		public final ModelCard card;
		public final Map<String, WeightTensor> weights;
		public final Path folder;

		public Installed(ModelCard card, Map<String, WeightTensor> weights, Path folder) {
			this.card = card;
			this.weights = weights;
			this.folder = folder;
		}
	}

	public Installed load(String name) {
		checkName(name);
		Path dir = root.resolve(name);
		if (!contains(name)) {
			throw new GenIJException("No model named '" + name + "' is installed in " + root + ". Import one with " +
				"Plugins > GenIJ > Models > Import Checkpoint.");
		}
		return loadFolder(dir);
	}

	/**
	 * Weights named the way commands take them: an installed model's name (with its card), a model folder
	 * (card and weights, as under {@code models/}), else a checkpoint or safetensors file (card null). A name that is neither gets a message saying so.
	 */
	public Installed resolve(String modelOrFile, String key) {
		String s = modelOrFile == null ? "" : modelOrFile.trim();
		if (s.isEmpty()) throw new GenIJException("Give " + key + "=<installed model name or weights file>.");
		if (NAME.matcher(s).matches() && contains(s)) return load(s);
		java.nio.file.Path file = Paths.get(s);
		if (Files.isRegularFile(file.resolve(ModelCard.FILE_NAME))) return loadFolder(file); // a model folder (models/...)
		if (!Files.isRegularFile(file)) {
			throw new GenIJException(key + "=" + s + " is neither an installed model (in " + root + ") nor a file. Import " +
				"the checkpoint with Plugins > GenIJ > Models > Import Checkpoint, or give the file's path.");
		}
		return readFile(file);
	}

	/**
	 * A weights file as commands take it: safetensors or a checkpoint as it is (card null, recognised by
	 * its keys), or converted by the family that knows its layout, which then also gives it a card.
	 */
	private static Installed readFile(java.nio.file.Path file) {
		if (Safetensors.looksLike(file)) return new Installed(null, Safetensors.read(file), file.getParent());
		TorchCheckpoint ckpt = TorchCheckpoint.read(file);
		io.github.genij.core.family.ModelFamily.Converted c = ArchitectureDetector.convert(ckpt);
		if (c == null) return new Installed(null, ckpt.stateDict(), file.getParent());
		ModelCard card = new ModelCard();
		card.name = file.getFileName().toString();
		card.family = c.detection.family;
		card.architecture = c.detection.architecture;
		card.preset = c.detection.preset;
		card.parameters.putAll(c.detection.parameters);
		card.provenance.source = file.toAbsolutePath().toString();
		card.provenance.sourceFormat = ckpt.format();
		return new Installed(card, c.stateDict, file.getParent());
	}

	/**
	 * The weights file {@link #resolve} would read for {@code modelOrFile} (an installed model's, a model
	 * folder's, or the file itself), or null when it names none.
	 */
	public Path weightsFile(String modelOrFile) {
		String s = modelOrFile == null ? "" : modelOrFile.trim();
		if (s.isEmpty()) return null;
		Path folder = NAME.matcher(s).matches() && contains(s) ? root.resolve(s) : null;
		if (folder == null && Files.isRegularFile(Paths.get(s).resolve(ModelCard.FILE_NAME))) folder = Paths.get(s);
		if (folder != null) {
			ModelCard card = ModelCard.read(folder.resolve(ModelCard.FILE_NAME));
			return folder.resolve(card.weights).normalize();
		}
		Path file = Paths.get(s);
		return Files.isRegularFile(file) ? file : null;
	}

	/** Loads a model folder (model.json + weights) from anywhere, verifying its weights. */
	public static Installed loadFolder(Path dir) {
		ModelCard card = ModelCard.read(dir.resolve(ModelCard.FILE_NAME));
		Path weights = dir.resolve(card.weights).normalize();
		if (!weights.startsWith(dir.normalize())) throw new GenIJException(dir + ": the card points outside its folder.");
		if (card.sha256 != null && !Hashing.matches(card.sha256, Hashing.sha256(weights))) {
			throw new GenIJException("The weights of '" + card.name + "' (" + weights + ") do not match their SHA-256: the " +
				"file changed or is damaged. Import the model again.");
		}
		return new Installed(card, Safetensors.read(weights), dir);
	}

	/**
	 * Installs weights under {@code card.name}. An existing model of that name is replaced only when asked;
	 * the new one is complete on disk before it takes the name.
	 */
	public Path install(ModelCard card, Map<String, WeightTensor> weights, boolean replace) {
		checkName(card.name);
		Path target = root.resolve(card.name);
		if (Files.exists(target) && !replace) {
			throw new GenIJException("A model named '" + card.name + "' is already installed (" + target + "). Choose " +
				"another name, or ask to replace it.");
		}
		Path staging = root.resolve("." + card.name + ".installing-" + ProcessHandle.current().pid());
		try {
			Files.createDirectories(root);
			deleteTree(staging);
			Files.createDirectories(staging);
			Path w = staging.resolve(ModelCard.WEIGHTS_FILE);
			Safetensors.write(w, weights, Map.of("genij.family", String.valueOf(card.family), "genij.name", card.name));
			card.weights = ModelCard.WEIGHTS_FILE;
			card.sha256 = Hashing.sha256(w);
			card.write(staging.resolve(ModelCard.FILE_NAME));
			Path old = null;
			if (Files.exists(target)) {
				old = root.resolve("." + card.name + ".replaced-" + System.currentTimeMillis());
				Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
			}
			try {
				Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(staging, target);
			}
			if (old != null) deleteTree(old);
			return target;
		}
		catch (IOException e) {
			throw new GenIJException("Cannot install '" + card.name + "' into " + root + ": " + e.getMessage(), e);
		}
		finally {
			try {
				deleteTree(staging);
			}
			catch (IOException e) {
				// staging leftovers are hidden and harmless; the install itself succeeded or was reported
			}
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (Stream<Path> walk = Files.walk(dir)) {
			List<Path> all = new ArrayList<>();
			walk.forEach(all::add);
			all.sort(Comparator.reverseOrder());
			for (Path p : all) Files.deleteIfExists(p);
		}
	}
}
