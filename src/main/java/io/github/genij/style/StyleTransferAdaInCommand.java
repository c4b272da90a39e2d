package io.github.genij.style;

import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.ResultImages;
import io.github.genij.ij.StackRunner;
import io.github.genij.ij.TiledImageCommand;

/**
 * Plugins > GenIJ > Style > Style Transfer (AdaIN): real-time arbitrary style transfer with a trained
 * encoder and decoder (naoto0804/pytorch-AdaIN's vgg_normalised.pth and decoder.pth, or models imported
 * under any name).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Style>Style Transfer (AdaIN)", headless = true,
	description = "Arbitrary style transfer in one pass (Huang and Belongie 2017): alpha, a weighted blend of several " +
		"styles, colour preservation, and a mask or label image (or ROI) choosing which style goes where.")
public class StyleTransferAdaInCommand extends TiledImageCommand {

	@Parameter(label = "Content image")
	private ImagePlus content;

	@Parameter(label = "Style image(s)", description = "Titles of open images or files, comma-separated", persist = false)
	private String style;

	@Parameter(label = "Style weights", required = false, persist = false,
		description = "One number per style image, comma-separated; blank for equal weights")
	private String weights = "";

	@Parameter(label = "Alpha (style strength)", min = "0", max = "1", stepSize = "0.05", persist = false)
	private double alpha = 1;

	@Parameter(label = "Preserve the content's colours", persist = false)
	private boolean preservecolor = false;

	@Parameter(label = "Mask or label image", required = false, persist = false,
		description = "Label k takes style k (any non-zero label with one style); 0 keeps the content. Without it, an " +
			"area ROI on the content image is used as the mask.")
	private ImagePlus mask;

	@Parameter(label = "Encoder", persist = false, description = "vgg_normalised.pth (file) or an installed model name")
	private String encoder = "";

	@Parameter(label = "Decoder", persist = false, description = "decoder.pth (file) or an installed model name")
	private String decoder = "";


	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Style Transfer (AdaIN)";
	}

	@Override
	protected void execute(Progress progress) {
		if (encoder.trim().isEmpty() || decoder.trim().isEmpty()) {
			throw new GenIJException("AdaIN needs its trained encoder and decoder: give encoder=vgg_normalised.pth and " +
				"decoder=decoder.pth (files or imported model names; see models/reference-checkpoints.json).");
		}
		if (alpha < 0 || alpha > 1) throw new GenIJException("alpha must be between 0 and 1.");
		List<ImagePlus> styles = ImageSources.resolve(style, "style");
		double[] w = ImageSources.weights(weights, styles.size());
		NDManager m = manager();
		try (AdaInNetworks net = new AdaInNetworks(model(encoder, "encoder").weights, model(decoder, "decoder").weights, m)) {
			// Fiji may fill an optional image with the active one: the content itself is no mask
			ImagePlus labels = mask != null && mask != content ? mask : roiMask(content);
			if (labels != null) checkMask(labels);
			boolean gray = RgbPlanes.requireRgbOrGray(content);
			ChannelMapping unit = ValuePreset.UNIT.mapping(ValueRange.BYTE, 3);
			List<NDArray> styleTensors = new ArrayList<>();
			for (ImagePlus s : styles)
				styleTensors.add(ImageTensors.toTensor(RgbPlanes.of(s).asImg(), unit, m).toDevice(device(), false));
			int outChannels = gray && outputType() == OutputType.AUTO ? 1 : 3;
			AdaInImage network = new AdaInImage(net, styleTensors, w, alpha, gray ? 1 : 3, labels != null, preservecolor,
				outChannels == 1);
			TileSpec spec = tiles(content, ReceptiveField.of(net.encoder, net.decoder));
			if (isTiled(content, spec)) progress.log("Large image: windows of " + spec.tileSize + " px with the whole image's statistics");
			// every slice and frame alike, each styled as it would be alone
			result = StackRunner.apply(content, labels, network, ValuePreset.UNIT, outChannels, spec, outputType(),
				ResultImages.titleFor(content, "adain"), m, progress);
		}
	}

	/** The content's area ROI as a 0/1 label image, or null. */
	private static ImagePlus roiMask(ImagePlus imp) {
		Roi roi = imp.getRoi();
		if (roi == null || !roi.isArea()) return null;
		ImageProcessor mask = new ij.process.ByteProcessor(imp.getWidth(), imp.getHeight());
		mask.setColor(1);
		mask.fill(roi);
		return new ImagePlus("roi-mask", mask);
	}



	private void checkMask(ImagePlus labels) {
		FinitePixels.require(labels);
		if (labels.getWidth() != content.getWidth() || labels.getHeight() != content.getHeight()) {
			throw new GenIJException("The mask '" + labels.getTitle() + "' is " + labels.getWidth() + "x" + labels.getHeight() +
				" but the content is " + content.getWidth() + "x" + content.getHeight() + ": they must be the same size.");
		}
	}
}
