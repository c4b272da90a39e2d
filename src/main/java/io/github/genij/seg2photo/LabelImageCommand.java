package io.github.genij.seg2photo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;

import ai.djl.ndarray.NDArray;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Module;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageCommand;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.PackedRgb;
import io.github.genij.ij.PhotoValues;

/**
 * What the segmentation-to-photo commands share: the label image and its checks, {@code labelmap},
 * {@code bnstats}, slice-by-slice output in the reference's {@code tensor2im} conversion or float32.
 */
abstract class LabelImageCommand extends ImageCommand {

	@Parameter(label = "Label image", description = "8- or 16-bit; each value a class (see labelmap)")
	protected ImagePlus labels;

	@Parameter(label = "Labels from", choices = { "image", "overlay", "rois" }, persist = false,
		description = "image: the pixel values are the labels; overlay: the image's overlay ROIs, each filled with the class its " +
			"name gives (a number, or a name in labelmap), later ROIs over earlier ones, 0 elsewhere; rois: the same with the ROI " +
			"Manager's ROIs, or those of roiset")
	protected String labelsfrom = "image";

	@Parameter(label = "ROI set (RoiSet.zip)", required = false, persist = false, style = "open",
		description = "With labelsfrom=rois: a ROI set saved from the ROI Manager (.zip, or one .roi), used instead of the open ROI Manager")
	protected java.io.File roiset;

	@Parameter(label = "Label map", required = false, persist = false,
		description = "value=class pairs for values that are not the model's class numbers, e.g. 255=0,7=3; with labels from the " +
			"overlay also ROI names, e.g. sky=0,tree=3")
	protected String labelmap = "";

	/** With labelsfrom=rois: the ROI Manager's or the ROI set's ROIs, read when the labels are checked. */
	private ij.gui.Overlay rois;

	/** The class names the model's card lists (lower case), once the model is known: see {@link #useModel}. */
	private Map<String, Integer> classNames = Map.of();
	/** The statistics the model's card asks for (bnstats=auto), or null. */
	private String cardStatistics;

	@Parameter(label = "Batch-norm statistics", choices = { "auto", "running", "image" }, persist = false,
		description = "running: the stored ones (the reference's test mode); image: each slice's own; auto: what the model card says, else running")
	protected String bnstats = "auto";

	/** The card parameter naming the statistics a model is best applied with (Train SPADE measures it). */
	static final String BN_STATISTICS = "bn_statistics";

	@Parameter(type = ItemIO.OUTPUT)
	protected ImagePlus result;

	/** Refuses what is not a label image (or an image without an overlay, for labelsfrom=overlay), saying why. */
	protected void checkLabels() {
		if (roiset != null && !labelsfrom.equals("rois"))
			throw new GenIJException("roiset=" + roiset + " is read with labelsfrom=rois: give both (labelsfrom is " + labelsfrom + ").");
		if (labelsfrom.equals("rois")) {
			rois = RoiSets.read(roiset);
			return;
		}
		if (labelsfrom.equals("overlay")) {
			if (labels.getOverlay() == null || labels.getOverlay().size() == 0) {
				throw new GenIJException("'" + labels.getTitle() + "' has no overlay: draw the regions as ROIs and add them " +
					"(Image > Overlay > Add Selection), named by class, or give labelsfrom=image.");
			}
			return;
		}
		FinitePixels.require(labels); // a float image with NaN says so first
		requireIntegers(labels, "a label image", "classes");
	}

	/** The label values of slice {@code slice} (1-based): its pixels, or its overlay's ROIs filled by class. */
	protected int[] labelValues(int slice) {
		if (labelsfrom.equals("image")) return ints(labels.getStack().getProcessor(slice));
		Map<String, Integer> roiNames = new LinkedHashMap<>(classNames); // the card's names, then labelmap's name=class pairs
		roiNames.putAll(names(labelmap));
		return OverlayLabels.paint(labelsfrom.equals("rois") ? rois : labels.getOverlay(), labels.getWidth(), labels.getHeight(), slice, roiNames);
	}

	static void requireIntegers(ImagePlus imp, String what, String values) {
		if (imp.getType() != ImagePlus.GRAY8 && imp.getType() != ImagePlus.GRAY16) {
			throw new GenIJException("'" + imp.getTitle() + "' is not " + what + ": give an 8- or 16-bit image whose values are " + values + ".");
		}
	}

	/** bnstats=image (or auto, for a model whose card asks for it): every parameter-free norm on the slice's own statistics. */
	protected void applyStatistics(Module net) {
		String chosen = bnstats;
		if (chosen.equals("auto")) chosen = cardStatistics == null ? "running" : cardStatistics;
		if (!chosen.equals("image")) return;
		for (BatchNorm bn : net.modulesOf(BatchNorm.class)) bn.use(BatchNorm.Statistics.IMAGE);
	}

	/** Appends one generated slice ({@code [3, ph, pw]} values of about -1..1), cut back to w x h. */
	protected void addSlice(ImageStack out, NDArray image, int pw, int ph, String label) {
		float[] y = image.toFloatArray();
		int w = labels.getWidth(), h = labels.getHeight(), plane = pw * ph;
		if (outputType() == OutputType.FLOAT32) {
			for (int c = 0; c < 3; c++) {
				float[] v = new float[w * h];
				for (int yy = 0; yy < h; yy++) System.arraycopy(y, c * plane + yy * pw, v, yy * w, w);
				out.addSlice(label, new FloatProcessor(w, h, v));
			}
			return;
		}
		out.addSlice(label, PackedRgb.of(y, pw, ph, w, h, v -> PhotoValues.toByte((float) v)));
	}

	/** The finished stack as the result (float32: channels as a hyperstack dimension). */
	protected void finish(ImageStack out, String suffix) {
		result = new ImagePlus(labels.getShortTitle() + "-" + suffix, out);
		if (outputType() == OutputType.FLOAT32) {
			result.setDimensions(3, labels.getStackSize(), 1);
			result.setDisplayRange(-1, 1);
		}
	}

	/**
	 * The model, and its label map read with the class names its card lists ({@code labelmap=255=sky}; overlay ROIs
	 * named {@code sky} too).
	 */
	protected Map<Integer, Integer> useModel(io.github.genij.core.weights.ModelStore.Installed model) {
		classNames = ClassNames.of(model);
		Object stats = model.card == null ? null : model.card.parameters.get(BN_STATISTICS);
		cardStatistics = "image".equals(stats) || "running".equals(stats) ? (String) stats : null;
		return parseLabelMap(labelmap, classNames);
	}

	/**
	 * The value=class pairs of a label map, the class given by its number or by a name the model's card lists
	 * ({@code 255=sky}); ROI name=class pairs are left to {@link #names}.
	 */
	static Map<Integer, Integer> parseLabelMap(String text, Map<String, Integer> classNames) {
		Map<Integer, Integer> map = new LinkedHashMap<>();
		if (text == null || text.isBlank()) return map;
		for (String pair : text.split(",")) {
			String[] kv = pair.trim().split("=");
			if (kv.length == 2 && !kv[0].trim().matches("-?\\d+")) continue; // a ROI name
			if (kv.length == 2 && !kv[1].trim().matches("-?\\d+")) {
				Integer c = classNames.get(ClassNames.key(kv[1]));
				if (c == null) {
					throw new GenIJException("labelmap=" + text + ": '" + kv[1].trim() + "' is not a class of this model" + (classNames.isEmpty()
						? " (its card lists no class names): give class numbers." : "; its classes: " + ClassNames.describe(classNames) + "."));
				}
				map.put(Integer.parseInt(kv[0].trim()), c);
				continue;
			}
			map.putAll(parsePairs(pair, "labelmap", "value=class (e.g. 255=0 or 255=sky) or name=class (e.g. sky=0)"));
		}
		return map;
	}

	/** The name=class pairs of a label map, for ROI names. */
	static Map<String, Integer> names(String text) {
		Map<String, Integer> map = new LinkedHashMap<>();
		if (text == null || text.isBlank()) return map;
		for (String pair : text.split(",")) {
			String[] kv = pair.trim().split("=");
			if (kv.length != 2 || kv[0].trim().matches("-?\\d+")) continue;
			try {
				map.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
			}
			catch (NumberFormatException e) {
				throw new GenIJException("labelmap=" + text + ": '" + pair.trim() + "' is not name=class (e.g. sky=0).");
			}
		}
		return map;
	}

	static Map<Integer, Integer> parsePairs(String text, String key, String form) {
		Map<Integer, Integer> map = new LinkedHashMap<>();
		if (text == null || text.isBlank()) return map;
		for (String pair : text.split(",")) {
			String[] kv = pair.trim().split("=");
			try {
				if (kv.length != 2) throw new NumberFormatException();
				map.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
			}
			catch (NumberFormatException e) {
				throw new GenIJException(key + "=" + text + ": '" + pair.trim() + "' is not " + form + ".");
			}
		}
		return map;
	}

	static int[] ints(ImageProcessor ip) {
		int[] v = new int[ip.getWidth() * ip.getHeight()];
		for (int i = 0; i < v.length; i++) v[i] = ip.get(i);
		return v;
	}
}
