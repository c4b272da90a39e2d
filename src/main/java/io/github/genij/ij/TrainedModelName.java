package io.github.genij.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;

/**
 * The name a training command installs its model under, and the rules that keep what the user owns: the training
 * state is kept beside the store ({@code .<name>.training.safetensors}) so that a stopped training continues; a
 * model of that name is trained further (more epochs) or again ({@code restart}) only if the same command made
 * it, and it is replaced only when the new training ends; anything else is refused, saying what to do.
 */
public final class TrainedModelName {

	public final ModelStore store;
	public final String name;
	/** Where the training state is kept. */
	public final Path checkpoint;
	/** A model of this name is installed (and may be replaced when training ends). */
	public final boolean replacing;

	private TrainedModelName(ModelStore store, String name) {
		this.store = store;
		this.name = name;
		this.checkpoint = store.root().resolve("." + name + ".training.safetensors");
		this.replacing = store.contains(name);
	}

	/**
	 * Checks {@code output} for a training of {@code epochs} epochs by {@code command} (whose models carry
	 * {@code tool} as their provenance), and discards the kept training state when {@code restart}.
	 */
	public static TrainedModelName check(String output, String command, String tool, int epochs, boolean restart, Progress progress)
		throws IOException
	{
		return check(output, command, tool, epochs, "epochs", restart, progress);
	}

	/**
	 * The same for a training measured in {@code unit} ({@code epochs}, {@code steps}): the card's provenance note of
	 * that name holds how far the installed model was trained.
	 */
	public static TrainedModelName check(String output, String command, String tool, int epochs, String unit, boolean restart, Progress progress)
		throws IOException
	{
		String name = output == null ? "" : output.trim();
		if (name.isEmpty()) throw new GenIJException("Give output=<a name for the trained model>.");
		ModelStore.checkName(name);
		TrainedModelName t = new TrainedModelName(ModelStore.defaultStore(), name);
		if (t.replacing) t.checkInstalled(command, tool, epochs, unit, restart, progress);
		if (restart && Files.deleteIfExists(t.checkpoint)) progress.log("Discarded the training state of '" + name + "'.");
		return t;
	}

	private void checkInstalled(String command, String tool, int epochs, String unit, boolean restart, Progress progress) {
		ModelCard card = ModelCard.read(store.root().resolve(name).resolve(ModelCard.FILE_NAME));
		Path where = store.root().resolve(name);
		if (!tool.equals(card.provenance.tool)) {
			throw new GenIJException("A model named '" + name + "' is installed (" + where + ") that " + command + " did not " +
				"make; it is left alone. Choose another output name.");
		}
		Object noted = card.provenance.notes.get(unit);
		int trained = noted instanceof Number ? ((Number) noted).intValue() : -1;
		if (restart) {
			progress.log("Training '" + name + "' again from scratch; the installed model is replaced when the new training ends.");
		}
		else if (!Files.isRegularFile(checkpoint)) {
			throw new GenIJException("'" + name + "' is installed (" + where + "), but its training state (" + checkpoint +
				") is gone, so it cannot be trained further. Give restart=true to train it again from scratch (it is " +
				"replaced when that ends), or choose another output name.");
		}
		else if (trained >= 0 && epochs <= trained) {
			throw new GenIJException("'" + name + "' is installed, trained for " + trained + " " + unit + ". Give " + unit + "=" +
				"<more than " + trained + "> to train it further, restart=true to train it again from scratch (it is replaced " +
				"when that ends), or another output name.");
		}
		else progress.log("Training '" + name + "' further, to " + epochs + " " + unit + "; the installed model is replaced when that ends.");
	}
}
