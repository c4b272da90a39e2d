package io.github.genij.ij;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.genij.core.family.ModelSummary;
import io.github.genij.core.progress.Progress;

/**
 * Plugins > GenIJ > Models > Model Info: what a model is and costs, read off its module tree: learned
 * parameters, receptive field, the size multiple and halo the tiler uses, and at a given image size the
 * multiply-adds and peak activation memory. How a user picks a tile size.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Models>Model Info", headless = true,
	description = "Describes a model of any family: parameters, receptive field, size multiple, tile halo, and the " +
		"multiply-adds and activation memory of one pass at the given size.")
public class ModelInfoCommand extends GenIJCommand {

	@Parameter(label = "Model", persist = false, description = "An installed model's name or a checkpoint file")
	private String model;

	@Parameter(label = "Width", min = "1", persist = false, description = "Image width for the cost figures (px)")
	private int width = 256;

	@Parameter(label = "Height", min = "1", persist = false, description = "Image height for the cost figures (px)")
	private int height = 256;

	@Parameter(type = ItemIO.OUTPUT, label = "Model info")
	private String report;

	@Override
	protected String displayName() {
		return "Model Info";
	}

	@Override
	protected void execute(Progress progress) {
		progress.status("Tracing " + model);
		report = ModelSummary.of(model, width, height, manager()).toText();
		log.debug(report); // the report is the output: Fiji shows it, the CLI prints it
	}
}
