package io.github.genij.style;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.ij.ImageCommand;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.ResultImages;

/**
 * Plugins > GenIJ > Style > Style Transfer (Gatys): paints the content image in the style of the style
 * image by optimisation (Gatys, Ecker, Bethge 2016).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Style>Style Transfer (Gatys)", headless = true,
	description = "Optimises an image to keep the content image's structure and take on the style image's " +
		"textures. features=builtin (the default) uses a fixed random-filter network that needs no download: it " +
		"transfers colours and local textures; a trained VGG-19 (Gatys' vgg_conv.pth or torchvision's vgg19) also " +
		"transfers larger brush strokes and shapes.")
public class StyleTransferGatysCommand extends ImageCommand {

	@Parameter(label = "Content image")
	private ImagePlus content;

	@Parameter(label = "Style image")
	private ImagePlus style;

	@Parameter(label = "Iterations", min = "1", persist = false, description = "Objective evaluations (500 in Gatys' work)")
	private int iterations = 300;

	@Parameter(label = "Content weight", persist = false)
	private double contentweight = 1;

	@Parameter(label = "Style weight", persist = false, description = "Multiplies Gatys' style weights (1e3 / n^2)")
	private double styleweight = 1;

	@Parameter(label = "Optimizer", choices = { "lbfgs", "adam" }, persist = false)
	private String optimizer = "lbfgs";

	@Parameter(label = "Start from", choices = { "content", "noise" }, persist = false)
	private String init = "content";

	@Parameter(label = "Preserve the content's colours", persist = false)
	private boolean preservecolor = false;

	@Parameter(label = "Feature network", persist = false,
		description = "builtin, an installed model name, or a VGG-19 checkpoint file (vgg_conv.pth or vgg19-*.pth)")
	private String features = "builtin";

	@Parameter(label = "Style layers", persist = false)
	private String stylelayers = "r11,r21,r31,r41,r51";

	@Parameter(label = "Content layer", persist = false)
	private String contentlayer = "r42";

	@Parameter(label = "Preview every (evaluations)", min = "0", persist = false)
	private int previewevery = 50;

	@Parameter(label = "Largest side optimised directly", min = "64", persist = false,
		description = "Larger images are first solved at half size, then refined (coarse to fine)")
	private int coarseside = 512;

	@Parameter(label = "Random seed (noise start)", persist = false)
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Style Transfer (Gatys)";
	}

	@Override
	protected void execute(Progress progress) {
		GatysTransfer.Settings s = new GatysTransfer.Settings();
		s.iterations = iterations;
		s.contentWeight = contentweight;
		s.styleWeight = styleweight;
		// choices arrive checked and in their declared spelling (ParameterRules)
		s.lbfgs = optimizer.equals("lbfgs");
		s.initFromContent = init.equals("content");
		s.styleLayers = layers(stylelayers);
		s.contentLayer = contentlayer.trim().toLowerCase(Locale.ROOT);
		s.previewEvery = previewevery;
		s.coarseSide = coarseside;
		s.seed = seed;
		if (content.getStackSize() > 1) progress.log("Using the current slice of '" + content.getTitle() + "'.");

		RgbPlanes c = RgbPlanes.of(content), st = RgbPlanes.of(style);
		RgbPlanes cIn = preservecolor ? LuminanceTransfer.contentLuminance(c) : c;
		RgbPlanes sIn = preservecolor ? LuminanceTransfer.styleLuminance(st, c) : st;
		NDManager m = manager();
		try (VggFeatures vgg = FeatureNetworks.load(features, false, this::model, m)) {
			progress.log("Features: " + vgg.description());
			ChannelMapping map = vgg.preset().mapping(ValueRange.BYTE, 3);
			NDArray ct = ImageTensors.toTensor(cIn.asImg(), map, m).toDevice(device(), false);
			NDArray stt = ImageTensors.toTensor(sIn.asImg(), map, m).toDevice(device(), false);
			LossPlot plot = new LossPlot(displayName() + ": loss", "evaluation");
			int[] offset = { 0, -1 };
			GatysTransfer.Result r = GatysTransfer.run(vgg, ct, stt, s, progress, (level, n, loss, preview) -> {
				if (level != offset[1]) {
					offset[0] = plot.size();
					offset[1] = level;
				}
				plot.add(offset[0] + n, loss);
				if (preview != null) {
					progress.log(String.format("evaluation %d: loss %.4g", n, loss));
					plot.refresh();
					showPreview(preview, map, c);
				}
			}, m);
			plot.refresh();
			if (r.stoppedEarly) progress.log("Stopped early; the result is the best image so far (loss " + r.loss + ").");
			RgbPlanes out = RgbPlanes.blank(c.width, c.height, c.range, c.gray);
			ImageTensors.toImage(r.image, map.inverse(), out.asImg());
			if (preservecolor) LuminanceTransfer.recombine(out, c);
			result = out.toImage(content, outputType(), ResultImages.titleFor(content, "gatys"));
		}
	}

	private ImagePlus previewWindow;

	/** The image as it stands, in a window that is updated in place (only when there is a screen). */
	private void showPreview(NDArray image, ChannelMapping map, RgbPlanes like) {
		if (java.awt.GraphicsEnvironment.isHeadless()) return;
		long h = image.getShape().get(2), w = image.getShape().get(3);
		RgbPlanes planes = RgbPlanes.blank((int) w, (int) h, ValueRange.BYTE, false);
		ImageTensors.toImage(image, map.inverse(), planes.asImg());
		ImagePlus shown = planes.toImage(new ImagePlus("", new ij.process.ColorProcessor((int) w, (int) h)),
			io.github.genij.ij.OutputType.AUTO, displayName() + " preview");
		if (previewWindow == null || previewWindow.getWindow() == null) {
			previewWindow = shown;
			previewWindow.show();
		}
		else previewWindow.setProcessor(shown.getProcessor());
	}

	private static List<String> layers(String text) {
		List<String> l = new ArrayList<>();
		for (String s : text.split("[,\\s]+"))
			if (!s.isEmpty()) l.add(s.toLowerCase(Locale.ROOT));
		if (l.isEmpty()) throw new GenIJException("stylelayers needs at least one layer, e.g. r11,r21,r31,r41,r51.");
		return l;
	}
}
