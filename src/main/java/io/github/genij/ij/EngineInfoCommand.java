package io.github.genij.ij;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.progress.Progress;

/** Plugins > GenIJ > Engine Info: which PyTorch runs, where its natives came from, which device is used. */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Engine Info", headless = true,
	description = "Shows the PyTorch engine GenIJ runs on: version, CPU or CUDA build, GPUs, native library source.")
public class EngineInfoCommand extends GenIJCommand {

	@Parameter(type = ItemIO.OUTPUT, label = "Engine report")
	private String report;

	@Override
	protected void execute(Progress progress) {
		report = GenIJEngine.report().toText() + "device (chosen): " + device() + "\n";
		log.debug(report); // the report is the output: Fiji shows it, the CLI prints it
	}

	public String report() {
		return report;
	}
}
