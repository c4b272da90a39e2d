package io.github.genij.stylegan;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Module;
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
 * Plugins > GenIJ > StyleGAN > Train ProGAN: grows a ProGAN on a folder of images, 4x4 first, as pytorch_GAN_zoo's
 * progressive trainer does ({@link ProGanTrainer}), and installs the averaged generator for StyleGAN Sample and
 * Interpolate (each grown scale can be sampled with {@code resolution}); {@code pgan_zoo.pth} beside it is the zoo's own
 * checkpoint layout. Why ProGAN and not growth inside Train StyleGAN2: StyleGAN2 replaced progressive growing by skip
 * connections, so a growing StyleGAN2 would be a network no reference trains; ProGAN is the growing network as
 * published, and what it grows can be read back by the zoo's {@code torch.hub} code.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>Train ProGAN", headless = true,
	description = "Grows a ProGAN (pytorch_GAN_zoo's recipe) on a folder of 8-bit images and installs the model")
public class TrainProGanCommand extends GenIJCommand {

	static final String TOOL = "GenIJ Train ProGAN";
	/** The seeds of the preview rows: the same z's at every tick and every scale. */
	static final int PREVIEW_SEEDS = 8;
	/** The zoo's depthScales, 4x4 first. */
	static final int[] ZOO_DEPTHS = { 512, 512, 512, 512, 256, 128, 64, 32, 16 };

	@Parameter(label = "Training images", style = "directory", persist = false,
		description = "8-bit grey or RGB images of one size; every slice of a stack is an image")
	private File folder;

	@Parameter(label = "Resolution (0: the images' size)", min = "0", max = "1024", persist = false,
		description = "The last scale, a power of 2; smaller images are centred on black (Fashion-MNIST's 28x28 at 32)")
	private int resolution = 0;

	@Parameter(label = "Latent size", min = "1", max = "1024", persist = false, description = "The zoo's dimLatentVector (512)")
	private int latent = 512;

	@Parameter(label = "Depths", persist = false,
		description = "Channels per scale from 4x4: one number for all, a comma list, or zoo (512,512,512,512,256,128,64,32,16)")
	private String depths = "zoo";

	@Parameter(label = "Batch size", min = "2", max = "256", persist = false, description = "The zoo's miniBatchSize (16)")
	private int batchsize = 16;

	@Parameter(label = "Steps per scale", min = "1", persist = false,
		description = "Iterations at each resolution (the zoo: 48000 at 4x4, 96000 above); more steps later trains the last scale further")
	private int steps = 96000;

	@Parameter(label = "Fade-in steps", min = "1", persist = false,
		description = "Iterations over which a new scale fades in, a multiple of 32 (the zoo: 600 steps of alpha every 32 = 19200)")
	private int fade = 19200;

	@Parameter(label = "Steps per tick", min = "1", persist = false, description = "A preview row, a log line and a checkpoint every tick")
	private int tick = 500;

	@Parameter(label = "Learning rate", min = "0", max = "1", persist = false, description = "Adam's (β 0, 0.99); the zoo's 0.001")
	private double lr = 0.001;

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
		return "Train ProGAN";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		ProGanTrainer.Settings s = new ProGanTrainer.Settings();
		TrainingImages train = TrainingImages.read(folder.toPath(), "folder", "ProGAN", progress);
		if (train.width != train.height && resolution == 0)
			throw new GenIJException("The training images are " + train.width + "x" + train.height + ": give resolution=<a power of 2 at least " +
				Math.max(train.width, train.height) + ">; they are centred on black.");
		s.resolution = resolution > 0 ? resolution : Integer.highestOneBit(Math.max(train.width, train.height) * 2 - 1);
		s.channels = train.channels;
		s.latent = latent;
		s.depths = depths(depths, s.stages());
		s.batch = batchsize;
		s.steps = steps;
		s.fade = fade;
		s.tick = tick;
		s.lr = (float) lr;
		s.seed = seed;
		s.check();
		TrainedModelName target = TrainedModelName.check(output, "Train ProGAN", TOOL, steps, "steps", restart, progress);
		List<int[]> images = StyleGanTrainer.fitted(train.images, train.width, train.height, train.channels, s.resolution);
		progress.log(String.format(Locale.ROOT, "%d training image(s) of %dx%d%s grown from 4x4 to %dx%d; depths %s, %d-dim z; %d steps per scale " +
			"(new scales fade in over %d) in batches of %d.", images.size(), train.width, train.height, train.channels == 3 ? " RGB" : " grey",
			s.resolution, s.resolution, Arrays.toString(s.depths), s.latent, s.steps, s.fade, s.batch));
		String resumeFrom = ProGanTrainer.describe(target.checkpoint);
		if (resumeFrom != null) progress.log("Found an unfinished training of '" + target.name + "' at " + resumeFrom + ".");

		LossPlot curve = new LossPlot("Train ProGAN: " + target.name, "step", "loss").curves("D loss", "G loss");
		ImageStack rows = new ImageStack();
		ProGanTrainer.Listener listener = new ProGanTrainer.Listener() {
			@Override
			public void step(int stage, int step, int all, double dLoss, double gLoss) {
				double x = (double) stage * all + step + 1;
				curve.add(x, dLoss);
				curve.addSecond(x, gLoss);
				if (step % 20 == 19 || step == all - 1) curve.refresh();
			}

			@Override
			public void tick(ProGanTrainer.TickReport report, ProGan average) {
				int r = 4 << report.stage;
				String label = r + "x" + r + " step " + report.step + (report.previousShare > 0 ? String.format(Locale.ROOT, " (fading in, %.2f)", 1 - report.previousShare) : "");
				rows.addSlice(label, seedRow(average, s.resolution, manager(), label).getProcessor());
			}
		};
		ProGanTrainer.Result r = new ProGanTrainer(s, target.checkpoint, listener, progress).train(images, manager());
		Path installed = install(target.store, target.name, s, r, folder.getName(), target.replacing);
		progress.log("Installed '" + target.name + "' in " + installed + " (use it with model=" + target.name + "; resolution=4, 8, ... samples each grown " +
			"scale); pytorch_GAN_zoo's layout is in " + installed.resolve(PganZooExport.FILE) + ".");
		if (rows.getSize() == 0) { // nothing trained this run (it had finished): one row of the installed model
			try (NDManager m = manager().newSubManager(); ProGan g = Module.loaded(new ProGan(s.shape(), (float) s.leak, false), r.average, m, "The trained generator")) {
				rows.addSlice("installed", seedRow(g, s.resolution, m, "installed").getProcessor());
			}
		}
		preview = new ImagePlus("Train ProGAN: " + target.name + " (seeds 0-" + (PREVIEW_SEEDS - 1) + ")", rows);
		plot = curve.plot().getImagePlus();
	}

	/** {@code depths}: "zoo", one number for every scale, or one per scale. */
	static int[] depths(String text, int stages) {
		String t = text == null ? "" : text.trim();
		if (t.isEmpty() || t.equalsIgnoreCase("zoo")) {
			if (stages > ZOO_DEPTHS.length) throw new GenIJException("depths=zoo covers 4x4 to 1024x1024; give one depth per scale.");
			return Arrays.copyOf(ZOO_DEPTHS, stages);
		}
		String[] parts = t.split(",");
		int[] d = new int[parts.length == 1 ? stages : parts.length];
		try {
			for (int i = 0; i < d.length; i++) d[i] = Integer.parseInt(parts[parts.length == 1 ? 0 : i].trim());
		}
		catch (NumberFormatException e) {
			throw new GenIJException("depths=" + text + " is not a list of numbers: give zoo, one number (e.g. 64) or one per scale from 4x4 (e.g. 64,64,32).");
		}
		return d;
	}

	/** Seeds 0..7 (z as a seed's z everywhere in GenIJ) side by side at the generator's scale, enlarged to {@code size} px. */
	static ImagePlus seedRow(ProGan g, int size, NDManager parent, String title) {
		List<float[]> images = new ArrayList<>();
		try (NoGrad ng = NoGrad.enter(); NDManager m = parent.newSubManager()) {
			for (int seed = 0; seed < PREVIEW_SEEDS; seed++) {
				NDArray img = g.synthesise(g.ws(g.w(NumpyRandom.randn(seed, g.zDim()), 0, m), 1, null), null);
				if (g.resolution() < size) img = Upsampling.nearest(img, size / g.resolution());
				images.add(img.toFloatArray());
			}
		}
		int ch = g.imageChannels();
		float[] row = GeneratedImages.tiled(images, PREVIEW_SEEDS, ch, size);
		return GeneratedImages.stack(List.of(row), List.of(title), ch, PREVIEW_SEEDS * size, size, OutputType.AUTO, title);
	}

	/** Installs the averaged generator (card and weights) and writes the zoo's checkpoint beside it. */
	static Path install(ModelStore store, String name, ProGanTrainer.Settings s, ProGanTrainer.Result r, String data, boolean replace) {
		ProGan.Shape0 shape = s.shape();
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = StyleGanFamily.NAME;
		card.architecture = StyleGanFamily.ARCHITECTURE_PROGAN;
		card.preset = "symmetric";
		card.parameters.putAll(StyleGanFamily.proGanParameters(shape, s.leak, false, 1.0));
		card.parameters.put("source_layout", "GenIJ Train ProGAN (pytorch_GAN_zoo's layout)");
		card.description = "ProGAN grown by GenIJ's Train ProGAN on " + data + " (4x4 to " + s.resolution + "x" + s.resolution +
			(s.channels == 3 ? " RGB" : " grey") + ").";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		Map<String, Object> notes = card.provenance.notes;
		notes.put("steps", s.steps);
		notes.put("fade", s.fade);
		notes.put("batch", s.batch);
		notes.put("lr", s.lr);
		notes.put("lambda_gp", s.lambdaGp);
		notes.put("epsilon_d", s.epsilonD);
		notes.put("seed", s.seed);
		if (!r.history.isEmpty()) {
			ProGanTrainer.TickReport last = r.history.get(r.history.size() - 1);
			notes.put("final_d_loss", last.dLoss);
			notes.put("final_g_loss", last.gLoss);
		}
		notes.put("reference_load", "from models.progressive_gan import ProgressiveGAN; m = ProgressiveGAN(); m.load('" + PganZooExport.FILE +
			"') - or torch.load it and load netG/avgG/netD into GNet/DNet with strict=True");
		Path folder = store.install(card, r.average, replace);
		PganZooExport.write(folder.resolve(PganZooExport.FILE), shape, s, 0, r.average, r.generator, r.discriminator);
		return folder;
	}
}
