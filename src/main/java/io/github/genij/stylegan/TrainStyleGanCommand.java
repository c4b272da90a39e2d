package io.github.genij.stylegan;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.TrainedModelName;
import io.github.genij.ij.TrainingImages;

/**
 * Plugins > GenIJ > StyleGAN > Train StyleGAN2: trains a StyleGAN2 on a folder of images as rosinality's
 * {@code train.py} does ({@link StyleGanTrainer}) and installs the averaged generator for Sample, Style Mixing,
 * Interpolate, Project and Path Length; {@code rosinality.pt} beside it holds the networks in rosinality's layout.
 * Running it again with the same output name continues a stopped training, or trains further with more steps.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>Train StyleGAN2", headless = true,
	description = "Trains a StyleGAN2 on a folder of 8-bit images (stacks count slice by slice) and installs the model")
public class TrainStyleGanCommand extends GenIJCommand {

	static final String TOOL = "GenIJ Train StyleGAN2";
	static final String REFERENCE_FILE = "rosinality.pt";
	/** The seeds of the preview grid: the same z's at every tick, so the grids show the training's progress. */
	static final int PREVIEW_SEEDS = 16;

	@Parameter(label = "Training images", style = "directory", persist = false,
		description = "8-bit grey or RGB images of one size; every slice of a stack is an image")
	private File folder;

	@Parameter(label = "Resolution (0: the images' size)", min = "0", max = "1024", persist = false,
		description = "A power of 2; smaller images are centred on black (Fashion-MNIST's 28x28 at 32)")
	private int resolution = 0;

	@Parameter(label = "Latent size (z and w)", min = "1", max = "1024", persist = false, description = "rosinality's style_dim (512 in the paper)")
	private int latent = 128;

	@Parameter(label = "Mapping layers", min = "1", max = "16", persist = false, description = "rosinality's n_mlp (8)")
	private int mapping_layers = 8;

	@Parameter(label = "Channel base", min = "1", persist = false,
		description = "Features at resolution r: min(channel_base / r, channel_max), as NVIDIA's; 32768 and 512 are rosinality's own widths")
	private int channel_base = 2048;

	@Parameter(label = "Channel max", min = "1", max = "1024", persist = false)
	private int channel_max = 128;

	@Parameter(label = "Batch size", min = "2", max = "256", persist = false, description = "A multiple of 4 from 4 (the discriminator compares groups of 4)")
	private int batchsize = 16;

	@Parameter(label = "Steps", min = "1", persist = false, description = "One discriminator and one generator update each")
	private int steps = 10000;

	@Parameter(label = "Steps per tick", min = "1", persist = false, description = "A preview, a log line and a checkpoint every tick")
	private int tick = 250;

	@Parameter(label = "Learning rate", min = "0", max = "1", persist = false, description = "Adam's; 0.002 in rosinality's train.py")
	private double lr = 0.002;

	@Parameter(label = "R1 weight (gamma)", persist = false, description = "auto: NVIDIA's 0.0002 * resolution^2 / batch size; rosinality's default is 10")
	private String r1 = "auto";

	@Parameter(label = "Path-length weight", min = "0", persist = false, description = "2 in the paper; 0 turns the regulariser off")
	private double path_length = 2;

	@Parameter(label = "Style-mixing probability", min = "0", max = "1", persist = false)
	private double mixing = 0.9;

	@Parameter(label = "Seed", min = "0", persist = false)
	private long seed = 1;

	@Parameter(label = "Model name (output)", persist = false, description = "The name the StyleGAN commands will know the model by")
	private String output = "";

	@Parameter(label = "Start again from scratch", persist = false,
		description = "Discards the saved training state of this name; a model this command made under it is replaced when the new training ends")
	private boolean restart = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus preview;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus plot;

	@Override
	protected String displayName() {
		return "Train StyleGAN2";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		StyleGanTrainer.Settings s = settings();
		TrainedModelName target = TrainedModelName.check(output, "Train StyleGAN2", TOOL, steps, "steps", restart, progress);
		TrainingImages train = TrainingImages.read(folder.toPath(), "folder", "StyleGAN2", progress);
		if (train.width != train.height && resolution == 0)
			throw new GenIJException("The training images are " + train.width + "x" + train.height + ": give resolution=<a power of 2 at least " +
				Math.max(train.width, train.height) + ">; they are centred on black.");
		s.resolution = resolution > 0 ? resolution : Integer.highestOneBit(Math.max(train.width, train.height) * 2 - 1);
		s.channels = train.channels;
		List<int[]> images = StyleGanTrainer.fitted(train.images, train.width, train.height, train.channels, s.resolution);
		progress.log(images.size() + " training image(s) of " + train.width + "x" + train.height + (train.channels == 3 ? " RGB" : " grey") + " at " +
			s.resolution + "x" + s.resolution + "; " + s.arch() + "; " + steps + " steps in batches of " + batchsize + ", R1 gamma " +
			String.format(Locale.ROOT, "%.4g", s.r1Gamma()) + ".");
		String resumeFrom = StyleGanTrainer.describe(target.checkpoint);
		if (resumeFrom != null) progress.log("Found an unfinished training of '" + target.name + "' at " + resumeFrom + ".");

		LossPlot curve = new LossPlot("Train StyleGAN2: " + target.name, "step", "loss").curves("D loss", "G loss");
		ImageStack grids = new ImageStack();
		StyleGanTrainer.Listener listener = new StyleGanTrainer.Listener() {
			@Override
			public void step(int step, int all, double dLoss, double gLoss) {
				curve.add(step + 1, dLoss);
				curve.addSecond(step + 1, gLoss);
				if (step % 20 == 19 || step == all - 1) curve.refresh();
			}

			@Override
			public void tick(StyleGanTrainer.TickReport report, StyleGan2 ema) {
				ImagePlus grid = seedGrid(ema, manager(), "step " + report.step);
				grids.addSlice("step " + report.step + " (" + report.images + " images)", grid.getProcessor());
			}
		};
		StyleGanTrainer.Result r = new StyleGanTrainer(s, target.checkpoint, listener, progress).train(images, manager());
		Path installed = install(target.store, target.name, s, r, folder.getName(), target.replacing);
		progress.log("Installed '" + target.name + "' in " + installed + " (use it with model=" + target.name + "); rosinality's layout is in " +
			installed.resolve(REFERENCE_FILE) + ".");
		if (grids.getSize() == 0) { // nothing trained this run (it had finished): one grid of the installed model
			try (NDManager m = manager().newSubManager(); StyleGan2 g = StyleGanModels.load(target.store.resolve(target.name, "model"), m)) {
				grids.addSlice("installed", seedGrid(g, m, "installed").getProcessor());
			}
		}
		preview = new ImagePlus("Train StyleGAN2: " + target.name + " (seeds 0-" + (PREVIEW_SEEDS - 1) + ")", grids);
		plot = curve.plot().getImagePlus();
	}

	private StyleGanTrainer.Settings settings() {
		StyleGanTrainer.Settings s = new StyleGanTrainer.Settings();
		s.latent = latent;
		s.mappingLayers = mapping_layers;
		s.channelBase = channel_base;
		s.channelMax = channel_max;
		s.batch = batchsize;
		s.steps = steps;
		s.tick = tick;
		s.lr = (float) lr;
		s.pathLengthWeight = path_length;
		s.mixing = mixing;
		s.seed = seed;
		String gamma = r1 == null ? "auto" : r1.trim();
		if (!gamma.isEmpty() && !gamma.equalsIgnoreCase("auto")) {
			try {
				s.r1 = Double.parseDouble(gamma);
			}
			catch (NumberFormatException e) {
				throw new GenIJException("r1=" + r1 + " is not a number: give the R1 weight (e.g. 10) or auto.");
			}
			if (!(s.r1 >= 0)) throw new GenIJException("r1=" + r1 + ": the R1 weight is 0 or more.");
		}
		return s;
	}

	/** The images of seeds 0..15 (z as NVIDIA's generate.py draws them, constant noise, ψ 1), 4 to a row. */
	static ImagePlus seedGrid(StyleGan2 g, NDManager parent, String title) {
		List<float[]> images = new ArrayList<>();
		try (NoGrad ng = NoGrad.enter(); NDManager m = parent.newSubManager()) {
			for (int seed = 0; seed < PREVIEW_SEEDS; seed++)
				images.add(g.generate(NumpyRandom.randn(seed, g.arch.zDim), 0, 1, null, "const", seed, m).toFloatArray());
		}
		int size = g.arch.resolution, ch = g.arch.imageChannels;
		float[] grid = GeneratedImages.tiled(images, 4, ch, size);
		return GeneratedImages.stack(List.of(grid), List.of(title), ch, 4 * size, 4 * size, OutputType.AUTO, title);
	}

	/** Installs the averaged generator (card and weights) and writes rosinality's layout beside it. */
	static Path install(ModelStore store, String name, StyleGanTrainer.Settings s, StyleGanTrainer.Result r, String data, boolean replace) {
		StyleGanArch arch = s.arch();
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = StyleGanFamily.NAME;
		card.architecture = StyleGanFamily.ARCHITECTURE;
		card.preset = "symmetric";
		card.parameters.putAll(arch.toParameters());
		card.description = "StyleGAN2 trained by GenIJ's Train StyleGAN2 on " + data + " (" + s.resolution + "x" + s.resolution +
			(s.channels == 3 ? " RGB" : " grey") + ").";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		Map<String, Object> notes = card.provenance.notes;
		notes.put("steps", s.steps);
		notes.put("batch", s.batch);
		notes.put("lr", s.lr);
		notes.put("r1_gamma", s.r1Gamma());
		notes.put("path_length_weight", s.pathLengthWeight);
		notes.put("mixing", s.mixing);
		notes.put("seed", s.seed);
		if (!r.history.isEmpty()) {
			StyleGanTrainer.TickReport last = r.history.get(r.history.size() - 1);
			notes.put("images_seen", last.images);
			notes.put("final_d_loss", last.dLoss);
			notes.put("final_g_loss", last.gLoss);
			notes.put("final_mean_path_length", last.pathLength);
		}
		notes.put("reference_load", referenceLoad(arch));
		Path folder = store.install(card, r.ema, replace);
		RosinalityExport.write(folder.resolve(REFERENCE_FILE), r.ema, r.generator, r.discriminator);
		return folder;
	}

	/** How rosinality's model.py loads the export (its widths are fixed in its __init__: 512 up to 64 px with channel_multiplier 2, then halving). */
	static String referenceLoad(StyleGanArch a) {
		boolean own = true;
		StringBuilder ch = new StringBuilder("{");
		for (int r = 4; r <= a.resolution; r *= 2) {
			int rosinality = Math.min(512, 32768 / r); // channel_multiplier 2: 512 up to 64 px, then 256, 128, ...
			own &= a.channels(r) == rosinality;
			ch.append(r == 4 ? "" : ", ").append(r).append(": ").append(a.channels(r));
		}
		ch.append("}");
		String load = String.format(Locale.ROOT, "ckpt = torch.load('%s'); g = Generator(%d, %d, %d); g.load_state_dict(ckpt['g_ema'], strict=True); " +
			"d = Discriminator(%d); d.load_state_dict(ckpt['d'], strict=True)", REFERENCE_FILE, a.resolution, a.zDim, a.mappingLayers, a.resolution);
		if (own) return load + (a.imageChannels == 1 ? " (grey: R = G = B)" : "");
		return load + " - after setting the channels dictionary in Generator.__init__ and Discriminator.__init__ of model.py to " + ch +
			" (its own are min(512, 32768 / r))" + (a.imageChannels == 1 ? "; grey: R = G = B" : "");
	}
}
