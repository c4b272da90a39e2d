package io.github.genij.seg2photo;

import java.awt.Color;
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

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.PreviewPlanes;
import io.github.genij.ij.TrainedModelName;

/**
 * Plugins > GenIJ > Segmentation to Photo > Train SPADE: trains a label-driven SPADE generator on a folder of label
 * images and a folder of photos matched by name ({@link SpadeTrainer}), installs it for Segmentation to Photo (SPADE)
 * and writes the reference's {@code latest_net_G.pth} and {@code latest_net_D.pth} beside it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Segmentation to Photo>Train SPADE", headless = true,
	description = "Trains SPADE on label images and photos matched by name, and installs the generator")
public class TrainSpadeCommand extends GenIJCommand {

	static final String TOOL = "GenIJ Train SPADE";

	@Parameter(label = "Label images", style = "directory", persist = false, description = "8- or 16-bit images whose values are the classes")
	private File labels;

	@Parameter(label = "Photos", style = "directory", persist = false, description = "The image of each label image, same name and size")
	private File images;

	@Parameter(label = "Classes (0: the largest label + 1)", min = "0", persist = false)
	private int classes = 0;

	@Parameter(label = "Class names", required = false, persist = false,
		description = "Comma-separated, class 0 first (sky,tree,...): labelmap and ROIs can then name classes")
	private String classnames = "";

	@Parameter(label = "Generator width (ngf)", min = "1", persist = false, description = "64 in the reference")
	private int ngf = 64;

	@Parameter(label = "Discriminator width (ndf)", min = "1", persist = false, description = "64 in the reference")
	private int ndf = 64;

	@Parameter(label = "Up-sampling layers", choices = { "normal", "more", "most" }, persist = false,
		description = "5, 6 or 7: crops must be multiples of 32, 64 or 128")
	private String upsampling = "normal";

	@Parameter(label = "Epochs at the full learning rate", min = "1", persist = false, description = "niter (50 in the reference)")
	private int epochs = 50;

	@Parameter(label = "Epochs of falling learning rate", min = "0", persist = false, description = "niter_decay (0 in the reference)")
	private int decayepochs = 0;

	@Parameter(label = "Batch size", min = "1", persist = false)
	private int batchsize = 1;

	@Parameter(label = "Crop size", min = "32", persist = false, description = "Side of the random crops trained on (256 in the reference)")
	private int cropsize = 256;

	@Parameter(label = "Feature matching weight", min = "0", persist = false, description = "lambda_feat (10)")
	private float lambdafeat = 10f;

	@Parameter(label = "VGG-19 for the perceptual loss", required = false, persist = false,
		description = "torchvision's vgg19-dcbb9e9d.pth (the reference's) or another VGG-19 file or model; blank: no perceptual loss")
	private String features = "";

	@Parameter(label = "Perceptual loss weight", min = "0", persist = false, description = "lambda_vgg (10), with features only")
	private float lambdavgg = 10f;

	@Parameter(label = "Learning rate", persist = false, description = "G trains at half, D at twice this (TTUR)")
	private float lr = 2e-4f;

	@Parameter(label = "Seed", persist = false)
	private long seed = 0;

	@Parameter(label = "Model name (output)", persist = false)
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
		return "Train SPADE";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		SpadeTrainer.Settings s = new SpadeTrainer.Settings();
		s.epochs = epochs;
		s.decayEpochs = decayepochs;
		TrainedModelName target = TrainedModelName.check(output, "Train SPADE", TOOL, s.totalEpochs(), restart, progress);
		if (labels == null || images == null) throw new GenIJException("Give labels=<folder of label images> and images=<folder of photos>.");
		List<SpadeTrainer.Example> data = LabelledPhotos.read(labels.toPath(), images.toPath(), progress);
		if (data.isEmpty()) throw new GenIJException("No usable pairs of label image and photo (see the log for why each file was left out).");
		int largest = 0;
		for (SpadeTrainer.Example e : data) for (int v : e.labels) largest = Math.max(largest, v);
		s.classes = classes > 0 ? classes : largest + 1;
		List<String> names = names(s.classes);
		s.ngf = ngf;
		s.ndf = ndf;
		s.depth = SpadeGenerator.Depth.valueOf(upsampling.toUpperCase(Locale.ROOT));
		s.batchSize = batchsize;
		s.cropSize = cropsize;
		s.lambdaFeat = lambdafeat;
		s.lr = lr;
		s.seed = seed;
		// the last few pairs (up to 4, never more than a tenth) are held out for the preview and its L1 figure
		int held = Math.min(SpadeTrainer.PREVIEWS, data.size() / 10);
		List<SpadeTrainer.Example> train = new ArrayList<>(data.subList(0, data.size() - held)), shown = data.subList(data.size() - held, data.size());
		progress.log(train.size() + " training pair(s)" + (held > 0 ? ", " + held + " held out for the preview" : "") + "; " + s.classes +
			" classes, ngf " + s.ngf + ", ndf " + s.ndf + ", " + upsampling + " up-sampling, " + s.totalEpochs() + " epochs of " +
			train.size() / Math.max(1, s.batchSize) + " steps (batch " + s.batchSize + ", crops of " + s.cropSize + " px).");
		LossPlot curve = new LossPlot("Train SPADE: " + target.name, "step", "loss").curves("G (hinge + feature matching)", "D (fake + real)");
		ImageStack previews = new ImageStack();
		SpadeTrainer.Listener listener = new SpadeTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int steps, SpadeTrainer.StepLosses l) {
				double x = (double) epoch * steps + step + 1;
				curve.add(x, l.gan + l.featureMatching);
				curve.addSecond(x, l.dFake + l.dReal);
				if (step % 20 == 19 || step == steps - 1) curve.refresh();
			}

			@Override
			public void epoch(SpadeTrainer.EpochReport r) {
				previews.addSlice(String.format(Locale.ROOT, "epoch %d: labels, SPADE (%s statistics), photo; validation L1 %.4f", r.epoch + 1,
					r.imageStatisticsBetter() ? "each image's own" : "running", Math.min(r.validationL1, r.validationL1Image)),
					previewSheet(r));
			}
		};
		s.lambdaVgg = lambdavgg;
		SpadeTrainer.Result r;
		try (io.github.genij.style.VggFeatures vgg = perceptualFeatures(progress)) {
			r = new SpadeTrainer(s, vgg, target.checkpoint, listener, progress).train(train, shown, manager());
		}
		Path folder = target.store.install(card(target.name, s, names, r), r.generator, target.replacing);
		TorchCheckpointWriter.write(folder.resolve("latest_net_G.pth"), r.generator);
		TorchCheckpointWriter.write(folder.resolve("latest_net_D.pth"), r.discriminator);
		progress.log("Installed '" + target.name + "' for Segmentation to Photo (SPADE); the reference's latest_net_G.pth and latest_net_D.pth " +
			"are in " + folder + ".");
		preview = previews.getSize() == 0 ? null : new ImagePlus("Train SPADE preview: " + target.name, previews);
		plot = curve.plot().getImagePlus();
	}

	/** The VGG-19 for the perceptual loss, or null (the reference's default has it; no weights ship with GenIJ). */
	private io.github.genij.style.VggFeatures perceptualFeatures(Progress progress) {
		if (features == null || features.isBlank()) {
			progress.log("No VGG-19 given: training without the perceptual loss (the reference uses one by default; give " +
				"features=vgg19-dcbb9e9d.pth for it).");
			return null;
		}
		io.github.genij.style.VggFeatures vgg = io.github.genij.style.VggFeatures.fromStateDict(model(features, "features").weights, manager(), false);
		progress.log("Perceptual loss (lambda_vgg " + lambdavgg + ") through " + vgg.description() + ".");
		return vgg;
	}

	/** The class names given, one per class, or an empty list. */
	private List<String> names(int count) {
		List<String> out = new ArrayList<>();
		if (classnames == null || classnames.isBlank()) return out;
		for (String n : classnames.split(",")) out.add(n.trim());
		if (out.size() != count) {
			throw new GenIJException("classnames lists " + out.size() + " names but the labels have " + count + " classes (0 to " + (count - 1) +
				"): give one name per class, class 0 first.");
		}
		for (String n : out) if (n.isEmpty() || n.contains("=")) throw new GenIJException("classnames: '" + n + "' is no usable name (empty, or with '=').");
		return out;
	}

	private static ModelCard card(String name, SpadeTrainer.Settings s, List<String> names, SpadeTrainer.Result r) {
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = Seg2PhotoFamily.NAME;
		card.architecture = Seg2PhotoFamily.SPADE;
		card.preset = "symmetric";
		card.parameters.put("semantic_nc", s.classes);
		card.parameters.put("ngf", s.ngf);
		card.parameters.put("z_dim", 0);
		card.parameters.put("num_upsampling_layers", s.depth.name().toLowerCase(Locale.ROOT));
		if (!names.isEmpty()) card.parameters.put(ClassNames.KEY, names);
		card.description = "SPADE generator (" + s.classes + " classes, ngf " + s.ngf + ") trained by GenIJ.";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		card.provenance.notes.put("epochs", s.totalEpochs());
		card.provenance.notes.put("batchsize", s.batchSize);
		card.provenance.notes.put("cropsize", s.cropSize);
		card.provenance.notes.put("ndf", s.ndf);
		card.provenance.notes.put("lambda_feat", s.lambdaFeat);
		card.provenance.notes.put("seed", s.seed);
		if (!r.history.isEmpty()) {
			SpadeTrainer.EpochReport last = r.history.get(r.history.size() - 1);
			card.provenance.notes.put("final_validation_l1", last.validationL1);
			card.provenance.notes.put("final_validation_l1_image_statistics", last.validationL1Image);
			// what bnstats=auto applies: the statistics that drew the held-out photos better
			card.parameters.put(LabelImageCommand.BN_STATISTICS, last.imageStatisticsBetter() ? "image" : "running");
		}
		return card;
	}

	/** Each shown example as a row: its labels in colour, G's image, the photo. */
	static ColorProcessor previewSheet(SpadeTrainer.EpochReport r) {
		int sz = r.previewSize, rows = Math.max(1, r.previewLabels.size());
		ColorProcessor sheet = new ColorProcessor(3 * sz, rows * sz);
		for (int k = 0; k < r.previewLabels.size(); k++) {
			ColorProcessor row = new ColorProcessor(3 * sz, sz);
			int[] labels = r.previewLabels.get(k);
			for (int i = 0; i < labels.length; i++) row.set(i % sz, i / sz, classColour(labels[i]));
			PreviewPlanes.paint(row, r.previewFake.get(k), sz, sz);
			PreviewPlanes.paint(row, r.previewReal.get(k), 2 * sz, sz);
			sheet.insert(row, 0, k * sz);
		}
		return sheet;
	}

	/** A colour per class: class 0 black, the others hues spread by the golden angle. */
	static int classColour(int label) {
		if (label == 0) return 0;
		return Color.HSBtoRGB((float) ((label * 0.618033988749895) % 1.0), 0.7f, 0.95f) & 0xffffff;
	}
}
