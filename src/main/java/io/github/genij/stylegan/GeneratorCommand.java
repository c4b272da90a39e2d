package io.github.genij.stylegan;

import org.scijava.plugin.Parameter;

import io.github.genij.ij.ImageCommand;

/** What the StyleGAN commands share: the model, truncation, the noise mode and the class of conditional models. */
abstract class GeneratorCommand extends ImageCommand {

	@Parameter(label = "Model", persist = false,
		description = "network-snapshot-*.pkl, a TensorFlow-era .pkl, rosinality's .pt, a state dict, or an installed model name")
	protected String model = "";

	@Parameter(label = "Truncation (psi)", persist = false,
		description = "1: none; smaller values pull towards the average image (less variety, fewer artefacts)")
	protected double truncation = 1;

	@Parameter(label = "Noise", choices = { "const", "random", "none" }, persist = false,
		description = "const: the model's stored noise (generate.py's default); random: drawn from each image's seed; none")
	protected String noise = "const";

	@Parameter(label = "Class (conditional models)", min = "0", persist = false,
		description = "The class index of a class-conditional model (the key is not 'class', a word Java reserves)")
	protected int classindex = 0;

	/** The generator, read once per file version in a session. */
	protected StyleGan2 generator() {
		return StyleGanModels.load(model(model, "model"), manager());
	}
}
