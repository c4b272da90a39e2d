package io.github.genij.pixelcnn;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.ij.TrainingImages;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.TrainedModelName;
import io.github.genij.ij.LossPlot;

/**
 * Plugins > GenIJ > PixelCNN > Train PixelCNN: trains a PixelCNN++ on a folder of images and installs it for
 * Likelihood, Sample and Complete, with the state dict also written in pclucas14's layout. Running the command again
 * with the same output name continues a stopped training, or trains further with more epochs.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>PixelCNN>Train PixelCNN", headless = true,
	description = "Trains a PixelCNN (PixelCNN++, Grayscale or Pyramid PixelCNN) on a folder of 8-bit images (stacks count slice by slice) and installs the model")
public class TrainPixelCnnCommand extends GenIJCommand {

	/** The card's provenance tool of a model this command made (and may train further or replace). */
	static final String TOOL = "GenIJ Train PixelCNN";
	static final String REFERENCE_FILE = "pixelcnn.pth";

	@Parameter(label = "Training images", style = "directory", persist = false,
		description = "8-bit grey or RGB images of one size; every slice of a stack is an image")
	private File folder;

	@Parameter(label = "Held-out images", style = "directory", required = false, persist = false,
		description = "Images not trained on, for held-out bits/dim after each epoch; without it, none")
	private File heldout;

	@Parameter(label = "Variant", choices = { "pixelcnn++", "grayscale", "pyramid" }, persist = false,
		description = "pixelcnn++ (Salimans et al.); grayscale: the image's 4-bit grey version first, then the image given it; pyramid: " +
			"the coarsest level first, then each finer level given the coarser one (Kolesnikov & Lampert)")
	private String variant = "pixelcnn++";

	@Parameter(label = "Blocks per stage (nr_resnet)", min = "1", max = "20", persist = false,
		description = "PixelCNN++'s (for grayscale: its 4-bit grey image's PixelCNN++)")
	private int nr_resnet = 5;

	@Parameter(label = "Conditional blocks", min = "1", max = "20", persist = false,
		description = "grayscale and pyramid: gated blocks per stream of the causal stack that draws an image given its auxiliary image (3 in the paper's code)")
	private int conditional_blocks = 3;

	@Parameter(label = "Pyramid levels", min = "2", max = "8", persist = false,
		description = "pyramid: the image and its coarser levels, each half the size of the one before")
	private int pyramid_levels = 3;

	@Parameter(label = "Filters (nr_filters)", min = "1", max = "512", persist = false, description = "160 in the reference's main.py")
	private int nr_filters = 160;

	@Parameter(label = "Logistics per pixel (nr_logistic_mix)", min = "1", max = "50", persist = false)
	private int nr_logistic_mix = 10;

	@Parameter(label = "Batch size", min = "1", max = "1024", persist = false, description = "64 in the reference")
	private int batchsize = 64;

	@Parameter(label = "Epochs", min = "1", persist = false)
	private int epochs = 10;

	@Parameter(label = "Learning rate", min = "0", max = "1", persist = false, description = "Adam's; 2e-4 in the reference")
	private double lr = 2e-4;

	@Parameter(label = "Seed", min = "0", persist = false)
	private long seed = 1;

	@Parameter(label = "Model name (output)", persist = false, description = "The name Likelihood, Sample and Complete will know the model by")
	private String output = "";

	@Parameter(label = "Start again from scratch", persist = false,
		description = "Discards the saved training state of this name; a model this command made under it is replaced when the new training ends")
	private boolean restart = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus plot;

	@Override
	protected String displayName() {
		return "Train PixelCNN";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		TrainedModelName target = TrainedModelName.check(output, "Train PixelCNN", TOOL, epochs, restart, progress);
		String name = target.name;
		Path checkpoint = target.checkpoint;

		TrainingImages train = TrainingImages.read(folder.toPath(), "folder", "PixelCNN", progress);
		List<int[]> held = new ArrayList<>();
		if (heldout != null) {
			TrainingImages h = TrainingImages.read(heldout.toPath(), "heldout", "PixelCNN", progress);
			if (h.width != train.width || h.height != train.height || h.channels != train.channels)
				throw new GenIJException("The held-out images are " + h.width + "x" + h.height + " with " + h.channels + " channel(s); the training " +
					"images " + train.width + "x" + train.height + " with " + train.channels + ". Give held-out images like the training ones.");
			held = h.images;
		}
		PixelCnnTrainer.Settings s = new PixelCnnTrainer.Settings();
		s.channels = train.channels;
		s.width = train.width;
		s.height = train.height;
		s.variant = variant;
		s.blocks = nr_resnet;
		s.conditionalBlocks = conditional_blocks;
		s.pyramidLevels = pyramid_levels;
		s.filters = nr_filters;
		s.mixtures = nr_logistic_mix;
		s.batch = batchsize;
		s.epochs = epochs;
		s.lr = (float) lr;
		s.seed = seed;
		progress.log(train.images.size() + " training image(s) of " + train.width + "x" + train.height + (train.channels == 3 ? " RGB" : " grey") +
			", " + held.size() + " held out; " + variant + " " + s.parameters() + "; " + epochs + " epochs in batches of " + batchsize + ".");
		String resumeFrom = PixelCnnTrainer.describe(checkpoint);
		if (resumeFrom != null) progress.log("Found an unfinished training of '" + name + "' at " + resumeFrom + ".");

		LossPlot curve = new LossPlot("Train PixelCNN: " + name, "epoch", "bits/dim").curves("training (per step)", "held out");
		PixelCnnTrainer.Listener listener = new PixelCnnTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int all, double bitsPerDim) {
				curve.add(epoch + (step + 1.0) / all, bitsPerDim);
				if (step % 20 == 19 || step == all - 1) curve.refresh();
			}

			@Override
			public void epoch(PixelCnnTrainer.EpochReport report) {
				if (!Double.isNaN(report.heldOutBitsPerDim)) curve.addSecond(report.epoch + 1, report.heldOutBitsPerDim);
				curve.refresh();
			}
		};
		PixelCnnTrainer.Result r = new PixelCnnTrainer(s, checkpoint, listener, progress).train(train.images, held, manager());
		Path installed = install(target.store, name, s, r, folder.getName(), target.replacing);
		progress.log("Installed '" + name + "' in " + installed + " (use it with model=" + name + ")" +
			(PixelCnnFamily.PIXELCNN_PP.equals(variant) ? "; pclucas14's layout is in " + installed.resolve(REFERENCE_FILE) : "") + ".");
		plot = curve.plot().getImagePlus();
	}

	/** Installs the model: card, weights (weight-normed, as trained) and, for PixelCNN++, the reference-layout {@code pixelcnn.pth}. */
	static Path install(ModelStore store, String name, PixelCnnTrainer.Settings s, PixelCnnTrainer.Result r, String data, boolean replace) {
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = PixelCnnFamily.NAME;
		card.architecture = s.variant;
		card.preset = "symmetric";
		card.parameters.putAll(s.parameters());
		card.description = variantName(s.variant) + " trained by GenIJ on " + data + " (" + s.width + "x" + s.height + (s.channels == 3 ? " RGB" : " grey") + ").";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		card.provenance.notes.put("epochs", s.epochs);
		card.provenance.notes.put("batch", s.batch);
		card.provenance.notes.put("lr", s.lr);
		card.provenance.notes.put("seed", s.seed);
		card.provenance.notes.put("size", s.width + "x" + s.height);
		if (!r.history.isEmpty()) {
			PixelCnnTrainer.EpochReport last = r.history.get(r.history.size() - 1);
			card.provenance.notes.put("final_train_bits_per_dim", last.trainBitsPerDim);
			if (!Double.isNaN(last.heldOutBitsPerDim)) card.provenance.notes.put("final_heldout_bits_per_dim", last.heldOutBitsPerDim);
		}
		if (PixelCnnFamily.PIXELCNN_PP.equals(s.variant)) card.provenance.notes.put("reference_load", String.format(Locale.ROOT, "model = PixelCNN(nr_resnet=%d, nr_filters=%d, nr_logistic_mix=%d, " +
			"input_channels=%d); model.load_state_dict(torch.load('%s'), strict=True)", s.blocks, s.filters, s.mixtures, s.channels, REFERENCE_FILE));
		Path folder = store.install(card, r.stateDict, replace);
		if (PixelCnnFamily.PIXELCNN_PP.equals(s.variant)) TorchCheckpointWriter.write(folder.resolve(REFERENCE_FILE), r.stateDict);
		return folder;
	}

	static String variantName(String variant) {
		return PixelCnnFamily.GRAYSCALE.equals(variant) ? "Grayscale PixelCNN" : PixelCnnFamily.PYRAMID.equals(variant) ? "Pyramid PixelCNN" : "PixelCNN++";
	}
}
