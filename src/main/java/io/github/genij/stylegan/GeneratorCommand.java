package io.github.genij.stylegan;

import org.scijava.plugin.Parameter;

import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageCommand;

/** What the StyleGAN commands share: the model, truncation, the noise mode and the class of conditional models. */
abstract class GeneratorCommand extends ImageCommand {

	@Parameter(label = "Model", persist = false,
		description = "network-snapshot-*.pkl, a TensorFlow-era .pkl, rosinality's .pt, a state dict, or an installed model name")
	protected String model = "";

	@Parameter(label = "Truncation (psi)", persist = false,
		description = "1: none; smaller values pull towards the average image (less variety, fewer artefacts)")
	protected double truncation = 1;

	@Parameter(label = "Noise", choices = { "const", "random", "seeded", "none" }, persist = false,
		description = "const: the model's stored noise (generate.py's default); random: drawn from each image's seed; seeded: from the " +
			"seed's stream right after z, as NVIDIA's TensorFlow-era run_generator.py; none")
	protected String noise = "const";

	@Parameter(label = "Class (conditional models)", min = "0", persist = false,
		description = "The class index of a class-conditional model (the key is not 'class', a word Java reserves)")
	protected int classindex = 0;

	@Parameter(label = "Resolution (progressive models)", min = "0", persist = false,
		description = "StyleGAN v1 / ProGAN: the stage to sample, 4, 8, ... (0: the model's own)")
	protected int resolution = 0;

	@Parameter(label = "Alpha (progressive models)", required = false, persist = false,
		description = "In a transition: the share of the newest resolution, 0 to 1 (1: fully grown); blank: the model's own")
	protected String alpha = "";

	@Parameter(label = "Mean style for truncation (.npy)", required = false, persist = false,
		description = "StyleGAN v1 (rosinality) files store no average style: a w vector to truncate towards; blank: estimated")
	protected String truncationmean = "";

	/** The generator, with what truncation needs. */
	protected StyleGenerator generator(io.github.genij.core.progress.Progress progress) {
		StyleGenerator g = StyleGanModels.loadAny(model(model, "model"), model, resolution, alphaGiven(), manager());
		try {
			if (g instanceof StyleGanV1) prepareV1((StyleGanV1) g, progress);
			else if (truncationmean != null && !truncationmean.isBlank()) {
				throw new GenIJException("truncationmean= is for StyleGAN v1 (rosinality) files, which store no average style; this model has its own.");
			}
		}
		catch (RuntimeException e) {
			g.close();
			throw e;
		}
		return g;
	}

	private Double alphaGiven() {
		if (alpha == null || alpha.isBlank()) return null;
		try {
			return Double.parseDouble(alpha.trim());
		}
		catch (NumberFormatException e) {
			throw new GenIJException("alpha=" + alpha.trim() + " is not a number: give 0 to 1 (1: the resolution fully grown), or leave it blank.");
		}
	}

	/** A StyleGAN2 (Project and the path length need its layers). */
	protected StyleGan2 styleGan2() {
		StyleGenerator g = generator(io.github.genij.core.progress.Progress.NONE);
		if (g instanceof StyleGan2) return (StyleGan2) g;
		g.close();
		throw new GenIJException(displayName() + " works with StyleGAN2 generators; this model is " + g.describe() + ".");
	}

	private void prepareV1(StyleGanV1 g, io.github.genij.core.progress.Progress progress) {
		if (noise.equals("const")) progress.log("rosinality's StyleGAN stores no noise: noise=const draws each block's map from the image's seed (as random).");
		if (truncation == 1) return;
		if (truncationmean != null && !truncationmean.isBlank()) {
			java.nio.file.Path file = java.nio.file.Paths.get(truncationmean.trim());
			if (!java.nio.file.Files.isRegularFile(file)) throw new GenIJException("truncationmean=" + truncationmean.trim() + " is not a file: give a .npy w vector.");
			double[] v = io.github.genij.core.weights.NumpyFiles.read(file).values().iterator().next().values;
			float[] style = new float[v.length];
			for (int i = 0; i < v.length; i++) style[i] = (float) v[i];
			g.meanStyle(style, manager());
			progress.log("Truncation towards the mean style in " + file.getFileName() + ".");
		}
		else {
			g.meanStyle(g.estimateMeanStyle(MEAN_STYLE_SAMPLES, MEAN_STYLE_SEED, manager()), manager());
			progress.log("rosinality's StyleGAN stores no mean style: truncation pulls towards the mean of " + MEAN_STYLE_SAMPLES + " mapped z " +
				"drawn from seed " + MEAN_STYLE_SEED + " (its generate.py maps fresh random z every run; give truncationmean=<w.npy> to fix one).");
		}
	}

	/** rosinality's generate.py averages 10 x 1024 styles; GenIJ draws as many, from one fixed seed, so runs agree. */
	static final int MEAN_STYLE_SAMPLES = 10_240;
	static final long MEAN_STYLE_SEED = 123;
}
