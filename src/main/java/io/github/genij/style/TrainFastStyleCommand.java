package io.github.genij.style;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.NamedFiles;
import io.github.genij.ij.TrainedModelName;

/**
 * Plugins > GenIJ > Style > Train Fast Style: trains Johnson et al.'s feed-forward network on a folder of content images
 * towards one style image, or several with conditional instance norm ({@link FastStyleTrainer}), installs it for Style
 * Transfer (Fast) with the styles' names in its card, and writes it in pytorch/examples' layout beside it
 * ({@code transformer.pth}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Style>Train Fast Style", headless = true,
	description = "Trains a fast (feed-forward) style network on content images and one or several style images")
public class TrainFastStyleCommand extends GenIJCommand {

	static final String TOOL = "GenIJ Train Fast Style";

	@Parameter(label = "Content images", style = "directory", persist = false, description = "Every image in the folder; every slice of a stack")
	private File folder;

	@Parameter(label = "Style image(s)", persist = false, description = "One image file, or several separated by commas (one network, conditional instance norm)")
	private String style = "";

	@Parameter(label = "Feature network", persist = false, description = "builtin (random VGG-19, offline) or a VGG-19 file or installed model")
	private String features = "builtin";

	@Parameter(label = "Content weight", min = "0", persist = false, description = "1e5 in pytorch/examples")
	private double contentweight = 1e5;

	@Parameter(label = "Style weight", min = "0", persist = false, description = "1e10 in pytorch/examples")
	private double styleweight = 1e10;

	@Parameter(label = "Epochs", min = "1", persist = false)
	private int epochs = 2;

	@Parameter(label = "Batch size", min = "1", persist = false)
	private int batchsize = 4;

	@Parameter(label = "Crop size", min = "16", persist = false, description = "Side of the random crops trained on (256 in pytorch/examples)")
	private int cropsize = 256;

	@Parameter(label = "Learning rate", persist = false)
	private float lr = 1e-3f;

	@Parameter(label = "Seed", persist = false)
	private long seed = 42;

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
		return "Train Fast Style";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		TrainedModelName target = TrainedModelName.check(output, "Train Fast Style", TOOL, epochs, restart, progress);
		if (folder == null) throw new GenIJException("Give folder=<a folder of content images>.");
		List<FastStyleTrainer.Picture> contents = new ArrayList<>();
		for (Path p : NamedFiles.of(folder.toPath(), "folder").values()) contents.addAll(pictures(p, progress));
		List<FastStyleTrainer.Picture> styles = new ArrayList<>();
		for (String s : style == null ? new String[0] : style.split(",")) {
			if (s.isBlank()) continue;
			Path p = Paths.get(s.trim());
			if (!Files.isRegularFile(p)) throw new GenIJException("style=" + s.trim() + " is not a file: give one or several style image files, separated by commas.");
			List<FastStyleTrainer.Picture> read = pictures(p, progress);
			if (read.isEmpty()) throw new GenIJException("The style image " + p + " cannot be read (see the log).");
			if (read.size() > 1) progress.log(p.getFileName() + " is a stack: its first slice is the style.");
			styles.add(read.get(0));
		}
		if (styles.isEmpty()) throw new GenIJException("Give style=<a style image file> (several, separated by commas, train one network for all).");
		FastStyleTrainer.Settings s = new FastStyleTrainer.Settings();
		s.contentWeight = contentweight;
		s.styleWeight = styleweight;
		s.epochs = epochs;
		s.batchSize = batchsize;
		s.cropSize = cropsize;
		s.lr = lr;
		s.seed = seed;
		progress.log(contents.size() + " content image(s), " + styles.size() + " style(s); " + epochs + " epochs of " + contents.size() / Math.max(1, batchsize) +
			" steps (batch " + batchsize + ", crops of " + cropsize + " px).");
		LossPlot curve = new LossPlot("Train Fast Style: " + target.name, "step", "loss").curves("content", "style");
		ImageStack previews = new ImageStack();
		FastStyleTrainer.Listener listener = new FastStyleTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int steps, FastStyleTrainer.StepLosses l) {
				double x = (double) epoch * steps + step + 1;
				curve.add(x, l.content);
				curve.addSecond(x, l.style);
				if (step % 20 == 19 || step == steps - 1) curve.refresh();
			}

			@Override
			public void epoch(FastStyleTrainer.EpochReport r) {
				previews.addSlice(String.format(Locale.ROOT, "epoch %d: content, then each style", r.epoch + 1), sheet(r));
			}
		};
		FastStyleTrainer.Result r;
		try (VggFeatures vgg = features == null || features.isBlank() || features.trim().equals("builtin") ? VggFeatures.builtin(manager())
			: VggFeatures.fromStateDict(model(features, "features").weights, manager(), false))
		{
			progress.log("Features: " + vgg.description() + ".");
			r = new FastStyleTrainer(s, vgg, features == null ? "builtin" : features.trim(), target.checkpoint, listener, progress).train(contents, styles, manager());
		}
		Path installed = target.store.install(card(target.name, s, styles, r), r.network, target.replacing);
		TorchCheckpointWriter.write(installed.resolve("transformer.pth"), r.network);
		progress.log("Installed '" + target.name + "' for Style Transfer (Fast)" + (styles.size() > 1 ? " (styles by name: " + names(styles) + ")" : "") +
			"; pytorch/examples' layout is in " + installed.resolve("transformer.pth") + ".");
		preview = previews.getSize() == 0 ? null : new ImagePlus("Train Fast Style preview: " + target.name, previews);
		plot = curve.plot().getImagePlus();
	}

	/**
	 * An image file as RGB 0..255 planes, every slice of a stack a picture of its own (grey repeated; 16/32-bit slices
	 * scaled over the image's display range); none, with a log line, when it cannot be used.
	 */
	private static List<FastStyleTrainer.Picture> pictures(Path file, Progress progress) {
		ImagePlus imp;
		try {
			imp = ImageFiles.open(file);
			FinitePixels.require(imp);
		}
		catch (GenIJException e) {
			progress.log("Skipped " + file.getFileName() + ": " + e.getMessage());
			return List.of();
		}
		String name = file.getFileName().toString();
		name = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
		int slices = imp.getNChannels() == 1 ? imp.getStackSize() : 1;
		List<FastStyleTrainer.Picture> out = new ArrayList<>();
		for (int k = 1; k <= slices; k++) {
			ij.process.ImageProcessor ip = slices == 1 ? imp.getProcessor() : imp.getStack().getProcessor(k);
			if (slices > 1 && (imp.getBitDepth() == 16 || imp.getBitDepth() == 32)) ip.setMinAndMax(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
			ColorProcessor cp = ip.convertToColorProcessor();
			int w = cp.getWidth(), h = cp.getHeight(), n = w * h;
			float[] rgb = new float[3 * n];
			for (int i = 0; i < n; i++) {
				int p = cp.get(i);
				rgb[i] = (p >> 16) & 0xff;
				rgb[n + i] = (p >> 8) & 0xff;
				rgb[2 * n + i] = p & 0xff;
			}
			out.add(new FastStyleTrainer.Picture(slices == 1 ? name : name + "#" + k, w, h, rgb));
		}
		return out;
	}

	private static List<String> names(List<FastStyleTrainer.Picture> styles) {
		List<String> out = new ArrayList<>();
		for (FastStyleTrainer.Picture p : styles) out.add(p.name);
		return out;
	}

	private ModelCard card(String name, FastStyleTrainer.Settings s, List<FastStyleTrainer.Picture> styles, FastStyleTrainer.Result r) {
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = StyleFamily.NAME;
		card.architecture = "fast_transformer";
		card.preset = "byte_range";
		card.parameters.put("style_count", styles.size());
		card.parameters.put("residual_blocks", 5);
		card.parameters.put("styles", names(styles));
		card.description = "Fast style network (pytorch/examples' TransformerNet" + (styles.size() > 1 ? ", conditional instance norm" : "") +
			") trained by GenIJ for " + String.join(", ", names(styles)) + ".";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		card.provenance.notes.put("epochs", s.epochs);
		card.provenance.notes.put("features", features);
		card.provenance.notes.put("content_weight", s.contentWeight);
		card.provenance.notes.put("style_weight", s.styleWeight);
		card.provenance.notes.put("cropsize", s.cropSize);
		card.provenance.notes.put("batchsize", s.batchSize);
		card.provenance.notes.put("lr", s.lr);
		card.provenance.notes.put("seed", s.seed);
		if (!r.history.isEmpty()) {
			FastStyleTrainer.EpochReport last = r.history.get(r.history.size() - 1);
			card.provenance.notes.put("final_content_loss", last.content);
			card.provenance.notes.put("final_style_loss", last.style);
		}
		return card;
	}

	/** The content crop, then the network's result for each style, side by side. */
	private static ColorProcessor sheet(FastStyleTrainer.EpochReport r) {
		int sz = r.previewSize, plane = sz * sz;
		ColorProcessor cp = new ColorProcessor(sz * (1 + r.preview.size()), sz);
		List<float[]> all = new ArrayList<>();
		all.add(r.previewContent);
		all.addAll(r.preview);
		for (int k = 0; k < all.size(); k++) {
			float[] v = all.get(k);
			for (int i = 0; i < plane; i++) {
				int red = clamp(v[i]), green = clamp(v[plane + i]), blue = clamp(v[2 * plane + i]);
				cp.set(k * sz + i % sz, i / sz, (red << 16) | (green << 8) | blue);
			}
		}
		return cp;
	}

	private static int clamp(float v) {
		return v <= 0 || Float.isNaN(v) ? 0 : v >= 255 ? 255 : Math.round(v);
	}
}
