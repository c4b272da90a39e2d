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
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.ij.ImagePlusImgs;
import io.github.genij.ij.ResultImages;
import io.github.genij.ij.TiledImageCommand;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

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
			ImagePlus labels = mask != null ? mask : roiMask(content);
			boolean gray = !ImagePlusImgs.isRgb(content);
			ImagePlus out = RgbPlanes.resultLike(content, gray, outputType(), ResultImages.titleFor(content, "adain"));
			int positions = content.getNSlices() * content.getNFrames(), done = 0;
			// every slice and frame alike: each is styled as it would be alone
			for (int t = 1; t <= content.getNFrames(); t++) {
				for (int z = 1; z <= content.getNSlices(); z++) {
					progress.checkCancelled();
					if (positions > 1) progress.log("Slice " + (++done) + " of " + positions);
					try (NDManager slice = m.newSubManager()) {
						styleSlice(net, RgbPlanes.of(content, z, t), styles, w, labels, slice, progress).writeInto(out, z, t, outputType());
					}
				}
			}
			result = out;
		}
	}

	/** One position of the content, styled. */
	private RgbPlanes styleSlice(AdaInNetworks net, RgbPlanes c, List<ImagePlus> styles, double[] w, ImagePlus labels,
		NDManager m, Progress progress)
	{
		ChannelMapping unit = ValuePreset.UNIT.mapping(ValueRange.BYTE, 3);
		List<NDArray> styleTensors = new ArrayList<>();
		NDArray content01 = ImageTensors.toTensor(c.asImg(), unit, m);
		float[] contentUnit = preservecolor ? content01.toFloatArray() : null;
		for (ImagePlus s : styles) {
			RgbPlanes sp = RgbPlanes.of(s);
			NDArray st = ImageTensors.toTensor(sp.asImg(), unit, m);
			if (preservecolor) st = m.create(Coral.match(st.toFloatArray(), contentUnit), st.getShape());
			styleTensors.add(st.toDevice(device(), false));
		}
		RgbPlanes out = RgbPlanes.blank(c.width, c.height, c.range, c.gray);
		TileSpec spec = tiles(content, ReceptiveField.of(net.encoder, net.decoder));
		if (!isTiled(content, spec)) {
			NDArray x = content01.toDevice(device(), false);
			NDArray lab = labels == null ? null : labelTensor(labels, m).toDevice(device(), false);
			NDArray y = AdaInTransfer.run(net, x, styleTensors, w, alpha, lab);
			ImageTensors.toImage(y, unit.inverse(), out.asImg());
			return out;
		}
		progress.log("Large image: windows of " + spec.tileSize + " px with the whole image's statistics");
		List<NDArray[]> stats = new ArrayList<>();
		for (NDArray s : styleTensors) {
			NDArray sf = net.encode(s);
			stats.add(new NDArray[] { Normalization.mean(sf), Normalization.std(sf, true, Normalization.EPS) });
		}
		ArrayImg<FloatType, FloatArray> in = withLabels(c, labels);
		ArrayImg<FloatType, FloatArray> y = ArrayImgs.floats(c.width, c.height, 3);
		AdaInTiled.run(net, in, stats, w, alpha, spec, y, m, progress);
		float[] src = y.update(null).getCurrentStorageArray(), dst = out.asImg().update(null).getCurrentStorageArray();
		for (int i = 0; i < src.length; i++) dst[i] = src[i] * 255;
		return out;
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

	private NDArray labelTensor(ImagePlus labels, NDManager m) {
		checkMaskSize(labels);
		float[] v = (float[]) labels.getProcessor().convertToFloatProcessor().getPixels();
		return m.create(v, new ai.djl.ndarray.types.Shape(1, 1, labels.getHeight(), labels.getWidth()));
	}

	private ArrayImg<FloatType, FloatArray> withLabels(RgbPlanes c, ImagePlus labels) {
		int plane = c.width * c.height;
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(c.width, c.height, labels == null ? 3 : 4);
		float[] dst = img.update(null).getCurrentStorageArray(), src = c.asImg().update(null).getCurrentStorageArray();
		for (int i = 0; i < 3 * plane; i++) dst[i] = src[i] / 255f;
		if (labels != null) {
			checkMaskSize(labels);
			float[] v = (float[]) labels.getProcessor().convertToFloatProcessor().getPixels();
			System.arraycopy(v, 0, dst, 3 * plane, plane);
		}
		return img;
	}

	private void checkMaskSize(ImagePlus labels) {
		if (labels.getWidth() != content.getWidth() || labels.getHeight() != content.getHeight()) {
			throw new GenIJException("The mask '" + labels.getTitle() + "' is " + labels.getWidth() + "x" + labels.getHeight() +
				" but the content is " + content.getWidth() + "x" + content.getHeight() + ": they must be the same size.");
		}
	}
}
