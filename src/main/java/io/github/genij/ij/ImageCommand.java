package io.github.genij.ij;

import org.scijava.plugin.Parameter;

/** A GenIJ command that produces images: adds the {@code outputtype} choice. */
public abstract class ImageCommand extends GenIJCommand {

	@Parameter(label = "Output type", description = "auto: the input's type (8-bit RGB for RGB input); " +
		"float32: 32-bit, one channel per network output, values in the input's scale, unrounded",
		choices = { OutputType.CHOICES_AUTO, OutputType.CHOICES_FLOAT32 }, required = false, persist = false)
	protected String outputtype = OutputType.CHOICES_AUTO;

	protected OutputType outputType() {
		return OutputType.parse(outputtype);
	}
}
