package io.github.genij.ij;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.CheckpointImporter;
import io.github.genij.core.weights.ModelStore;

/**
 * Plugins > GenIJ > Models > Import Checkpoint: a reference checkpoint (.pth, either PyTorch format, or
 * .safetensors) from a file or an address becomes an installed GenIJ model (model card + safetensors).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Models>Import Checkpoint", headless = true,
	description = "Imports a PyTorch checkpoint (.pth, zip or legacy format) or safetensors file into GenIJ's model store.")
public class ImportCheckpointCommand extends GenIJCommand {

	@Parameter(label = "Checkpoint file", style = FileWidget.OPEN_STYLE, required = false, persist = false,
		description = "latest_net_G.pth, decoder.pth, ... (or give an address in 'url')")
	private File file;

	@Parameter(label = "Or download from", required = false, persist = false,
		description = "An https address of the checkpoint, instead of a file")
	private String url = "";

	@Parameter(label = "SHA-256 (optional)", required = false, persist = false,
		description = "Expected SHA-256 of the file (or its first 8+ hex digits); a mismatch stops the import")
	private String sha256 = "";

	@Parameter(label = "Family", choices = { "auto", "style", "translate", "seg2photo", "stylegan", "pixelcnn" },
		persist = false)
	private String family = "auto";

	@Parameter(label = "Architecture", persist = false, description = "auto recognises it from the checkpoint's keys")
	private String arch = "auto";

	@Parameter(label = "Model name", persist = false, description = "Letters, digits, '.', '_', '-'; how commands refer to the model")
	private String name;

	@Parameter(label = "Replace an installed model of that name", required = false, persist = false)
	private boolean replace = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Import report")
	private String report;

	@Override
	protected void execute(Progress progress) {
		boolean hasUrl = url != null && !url.trim().isEmpty();
		if (hasUrl && file != null) throw new GenIJException("Give the checkpoint as file=<path> or url=<address>, not both.");
		String source = hasUrl ? url.trim() : file == null ? null : file.getPath();
		if (source == null) throw new GenIJException("Give the checkpoint as file=<path> or url=<address>.");
		if (sha256 != null && !sha256.trim().isEmpty() && !sha256.trim().matches("(?i)[0-9a-f]{8,64}")) {
			throw new GenIJException("sha256=" + sha256.trim() + " is not a SHA-256: give its 64 hexadecimal digits (or the first 8 " +
				"or more).");
		}
		if (name == null || name.trim().isEmpty()) throw new GenIJException("Give the model a name (name=...).");
		ModelStore store = ModelStore.defaultStore();
		CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(source, family, arch, name.trim(),
			sha256 == null || sha256.trim().isEmpty() ? null : sha256.trim(), store, replace, progress);
		report = r.report;
		log.debug(report); // the report is the output: Fiji shows it, the CLI prints it
	}
}
