package io.github.genij.stylegan;

import java.io.File;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Plot;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.ij.GenIJCommand;

/**
 * Plugins > GenIJ > StyleGAN > StyleGAN Path Length: NVIDIA's perceptual path length of a generator (how much the
 * image changes along small steps in latent space; lower is smoother), with their LPIPS network when given.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>StyleGAN Path Length", headless = true,
	description = "Perceptual path length (PPL) as NVIDIA's metric computes it: the LPIPS distance between images a step of 1e-4 apart " +
		"along latent paths, over 1e-4 squared, averaged between the 1st and 99th percentiles")
public class StyleGanPathLengthCommand extends GenIJCommand {

	@Parameter(label = "Model", persist = false,
		description = "network-snapshot-*.pkl, a TensorFlow-era .pkl, rosinality's .pt, a state dict, or an installed model name")
	private String model = "";

	@Parameter(label = "Samples", min = "1", max = "1000000", persist = false, description = "Paths sampled (NVIDIA's metrics: 50,000)")
	private int samples = 1000;

	@Parameter(label = "Space", choices = { "w", "z" }, persist = false,
		description = "w: linear steps between mapped latents (NVIDIA's ppl2_wend); z: spherical steps between latents (ppl_zfull)")
	private String space = "w";

	@Parameter(label = "Sampling", choices = { "end", "full" }, persist = false,
		description = "end: steps from a path's start (t = 0); full: from a uniform point along it")
	private String sampling = "end";

	@Parameter(label = "Face crop", persist = false,
		description = "NVIDIA's centre crop for face models (rows 3/8 to 7/8, columns 2/8 to 6/8); off in ppl2_wend")
	private boolean crop = false;

	@Parameter(label = "LPIPS network (vgg16.pt)", required = false, persist = false,
		description = "NVIDIA's vgg16.pt (TorchScript) for their figures; without it a pixel distance, whose figures are not NVIDIA's")
	private File features;

	@Parameter(label = "Seed", min = "0", persist = false, description = "numpy's RandomState(seed) draws t, the latents and the noise")
	private long seed = 0;

	@Parameter(label = "Class (conditional models)", min = "0", persist = false, description = "The class of a class-conditional model")
	private int classindex = 0;

	@Parameter(label = "Path length", type = ItemIO.OUTPUT)
	private Double ppl;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus plot;

	@Override
	protected String displayName() {
		return "StyleGAN Path Length";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		PathLength.Space s = parse(space, "space", "w", "z").equals("z") ? PathLength.Space.Z : PathLength.Space.W;
		boolean full = parse(sampling, "sampling", "end", "full").equals("full");
		try (NoGrad g = NoGrad.enter(); StyleGan2 gen = StyleGanModels.load(model(model, "model"), manager());
			ImageFeatures f = features == null ? ImageFeatures.PIXELS : LpipsFeatures.load(features.toPath(), device()))
		{
			progress.log("PPL of " + samples + " paths in " + s.name().toLowerCase(Locale.ROOT) + ", sampling " + sampling + (crop ? ", face crop" : "") +
				", distance: " + f.describe() + ", seed " + seed + ".");
			double[] d = PathLength.distances(gen, samples, s, full, crop, f, classindex, seed, manager(), progress);
			ppl = PathLength.of(d);
			progress.log(String.format(Locale.ROOT, "PPL %.4f (%s)", ppl, f.describe()));
			Plot p = new Plot("StyleGAN Path Length: " + String.format(Locale.ROOT, "%.4g", ppl), "distance / epsilon\u00b2", "paths");
			p.addHistogram(d);
			plot = p.getImagePlus();
		}
	}

	private static String parse(String value, String key, String first, String second) {
		String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		if (!v.equals(first) && !v.equals(second)) throw new GenIJException(key + "=" + value + " is not allowed: use " + first + " or " + second + ".");
		return v;
	}
}
