package io.github.genij.translate;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.process.ColorProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.PreviewPlanes;
import io.github.genij.ij.TrainedModelName;

/**
 * Plugins > GenIJ > Translate > Train pix2pix: trains a pix2pix model on the user's own image pairs and
 * installs it for Translate. Progress survives a cancel or a crash: running the command again with the
 * same output name continues the training.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Translate>Train pix2pix", headless = true,
	description = "Trains pix2pix (U-Net + PatchGAN) on pairs of images and installs the model for Translate.")
public class TrainPix2PixCommand extends GenIJCommand {

	@Parameter(label = "Folder A (inputs)", style = "directory", required = false, persist = false,
		description = "Images the model will be given; paired with folder B by file name")
	private File folder_a;

	@Parameter(label = "Folder B (targets)", style = "directory", required = false, persist = false,
		description = "The wanted outputs, one per image of folder A, same name (any extension) and size")
	private File folder_b;

	@Parameter(label = "Or: folder of A|B side-by-side images", style = "directory", required = false, persist = false,
		description = "Instead of folders A and B: each image holds A on the left and B on the right")
	private File folder_ab;

	@Parameter(label = "Direction", choices = { "atob", "btoa" }, persist = false)
	private String direction = "atob";

	@Parameter(label = "Generator", choices = { "unet_256", "unet_128", "unet_64", "unet_32" }, persist = false,
		description = "U-Net depth: unet_256 and unet_128 are the reference's; the smaller ones suit small images")
	private String arch = "unet_256";

	@Parameter(label = "Width (ngf)", min = "1", persist = false, description = "Filters of the first layer; 64 in the paper")
	private int ngf = 64;

	@Parameter(label = "Epochs", min = "1", persist = false,
		description = "Passes over the pairs; the learning rate falls to zero over the second half")
	private int epochs = 200;

	@Parameter(label = "Crop size", min = "32", persist = false,
		description = "Side of the random crops trained on; a multiple of the U-Net's size")
	private int cropsize = 256;

	@Parameter(label = "L1 weight (lambda)", min = "0", persist = false)
	private float lambdal1 = 100f;

	@Parameter(label = "GAN loss", choices = { "vanilla", "lsgan" }, persist = false)
	private String ganloss = "vanilla";

	@Parameter(label = "Seed", persist = false)
	private long seed = 0;

	@Parameter(label = "Model name (output)", persist = false, description = "The name Translate will know the model by")
	private String output = "";

	@Parameter(label = "Start again from scratch", description = "Discards the saved training state of this name; a model this command made under it is replaced when the new training ends", persist = false)
	private boolean restart = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus preview;

	@Override
	protected String displayName() {
		return "Train pix2pix";
	}

	@Override
	protected void execute(Progress progress) throws IOException {
		TrainedModelName target = TrainedModelName.check(output, "Train pix2pix", TrainedModels.TOOL, epochs, restart, progress);
		String name = target.name;
		Path checkpoint = target.checkpoint;

		List<TrainingPair> pairs = readPairs(progress);
		List<TrainingPair> validation = new ArrayList<>();
		if (pairs.size() >= 5) validation.add(pairs.remove(pairs.size() - 1));
		Pix2PixTrainer.Settings s = settings(pairs.get(0));
		progress.log(pairs.size() + " training pair(s)" + (validation.isEmpty() ? "; the preview shows the first of them"
			: "; '" + validation.get(0).name + "' held out for the preview and validation L1") + ". " + s.architecture() +
			", ngf " + s.ngf + ", " + s.epochs + " epochs of " + pairs.size() + " steps, crops of " + s.cropSize + " px.");
		String resumeFrom = Pix2PixTrainer.describe(checkpoint);
		if (resumeFrom != null) progress.log("Found an unfinished training of '" + name + "' at " + resumeFrom + ".");

		LossPlot plot = new LossPlot("Train pix2pix: " + name + " (L1 per step)", "step");
		Previews previews = new Previews(name);
		Pix2PixTrainer.Listener listener = new Pix2PixTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int steps, Pix2PixTrainer.StepLosses losses) {
				plot.add((double) epoch * steps + step + 1, losses.generatorL1);
				if (step % 20 == 19 || step == steps - 1) plot.refresh();
			}

			@Override
			public void epoch(Pix2PixTrainer.EpochReport report) {
				previews.add(report);
			}
		};
		Pix2PixTrainer.Result r = new Pix2PixTrainer(s, checkpoint, listener, progress).train(pairs, validation, manager());
		String data = describeData();
		// the training state stays (hidden in the store), so that more epochs can follow later
		Path folder = TrainedModels.install(target.store, name, s, r, data, target.replacing);
		progress.log("Installed '" + name + "' in " + folder + " (apply it with Translate, model=" + name + "); the reference " +
			"layout is in " + folder.resolve(TrainedModels.GENERATOR_FILE) + ".");
		preview = previews.image;
	}

	private List<TrainingPair> readPairs(Progress progress) {
		boolean two = folder_a != null || folder_b != null, one = folder_ab != null;
		if (two == one) {
			throw new GenIJException("Give either folder_a and folder_b (pairs matched by file name) or folder_ab (A|B side by " +
				"side), not " + (two ? "both" : "neither") + ".");
		}
		List<TrainingPair> pairs;
		if (one) pairs = PairFolders.sideBySide(folder_ab.toPath(), progress);
		else {
			if (folder_a == null || folder_b == null) throw new GenIJException("Give both folder_a and folder_b.");
			pairs = PairFolders.twoFolders(folder_a.toPath(), folder_b.toPath(), progress);
		}
		if (pairs.isEmpty()) throw new GenIJException("No usable image pairs were found (see the log for why each file was left out).");
		// choices arrive checked and in their declared spelling (ParameterRules)
		if (direction.equals("btoa")) pairs.replaceAll(TrainingPair::swapped);
		return pairs;
	}

	private Pix2PixTrainer.Settings settings(TrainingPair first) {
		Pix2PixTrainer.Settings s = new Pix2PixTrainer.Settings();
		s.numDowns = Integer.numberOfTrailingZeros(Integer.parseInt(arch.substring("unet_".length())));
		s.ngf = ngf;
		s.ndf = Math.min(ngf, 64); // the reference pairs ngf 64 with ndf 64; a small generator gets a small critic
		s.channelsA = first.channelsA;
		s.channelsB = first.channelsB;
		s.epochs = epochs;
		s.cropSize = cropsize;
		s.lambdaL1 = lambdal1;
		s.ganLoss = ganloss.equals("lsgan") ? Pix2PixTrainer.GanLoss.LSGAN : Pix2PixTrainer.GanLoss.VANILLA;
		s.seed = seed;
		return s;
	}

	private String describeData() {
		return folder_ab != null ? "the side-by-side pairs of " + folder_ab.getName() : "pairs from " + folder_a.getName() + " and " +
			folder_b.getName() + " (" + direction + ")";
	}

	/** One slice per epoch: A | G(A) | B, shown while training when there is a screen. */
	private static final class Previews {
		private final String title;
		ImagePlus image;

		Previews(String name) {
			this.title = "Train pix2pix preview: " + name;
		}

		void add(Pix2PixTrainer.EpochReport r) {
			if (r.previewA == null) return;
			int s = r.previewSize;
			ColorProcessor cp = new ColorProcessor(3 * s, s);
			PreviewPlanes.paint(cp, r.previewA, 0, s);
			PreviewPlanes.paint(cp, r.previewFake, s, s);
			PreviewPlanes.paint(cp, r.previewB, 2 * s, s);
			String label = String.format(Locale.ROOT, "epoch %d, validation L1 %.4f", r.epoch + 1, r.validationL1);
			if (image == null) {
				ImageStack stack = new ImageStack(3 * s, s);
				stack.addSlice(label, cp);
				image = new ImagePlus(title, stack);
				if (!GraphicsEnvironment.isHeadless() && Macro.getOptions() == null) image.show();
			}
			else {
				image.getStack().addSlice(label, cp);
				image.setStack(image.getStack());
				image.setSlice(image.getStackSize());
			}
		}
	}
}
