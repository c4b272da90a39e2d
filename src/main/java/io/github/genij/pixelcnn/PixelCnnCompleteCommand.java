package io.github.genij.pixelcnn;

import java.awt.Rectangle;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.ij.FinitePixels;

/**
 * Re-draws a masked region of an image from a PixelCNN (any variant), several times: every pixel outside the mask stays the
 * input's, bit for bit; the masked pixels are drawn in raster order, each given everything before it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>PixelCNN>PixelCNN Complete", headless = true,
	description = "Re-draws the masked pixels (mask image or the image's selection) with a PixelCNN (PixelCNN++, Grayscale or Pyramid), keeping every other pixel. " +
		"The model is causal: a masked pixel is drawn from the pixels above it and to its left (masked ones already drawn), " +
		"and cannot see the pixels below it or to its right, so a completion need not join the region's lower and right edges.")
public class PixelCnnCompleteCommand extends PixelCnnCommand {

	@Parameter(label = "Image", description = "8-bit grey or RGB, as the model; its current slice")
	private ImagePlus image;

	@Parameter(label = "Mask", required = false, persist = false,
		description = "Non-zero pixels are re-drawn (binary or label image of the image's size); without it, the image's area selection")
	private ImagePlus mask;

	@Parameter(label = "Samples", min = "1", max = "256", persist = false, description = "How many completions")
	private int samples = 4;

	@Parameter(label = "Seed", min = "0", max = "4294967295", persist = false,
		description = "Completion k draws from numpy's RandomState(seed + k)")
	private long seed = 0;

	@Parameter(label = "Temperature", min = "0", max = "10", persist = false,
		description = "1 is the model's distribution; below 1 sharper (the logistics' scales times T, as Kolesnikov & Lampert's scale_var = ln T)")
	private double temperature = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "PixelCNN Complete";
	}

	@Override
	protected void execute(Progress progress) {
		FinitePixels.require(image);
		boolean[] masked = mask();
		int w = image.getWidth(), h = image.getHeight(), count = 0;
		for (boolean b : masked) if (b) count++;
		if (count == 0) throw new GenIJException("The mask is empty: nothing to complete. Mark the region to re-draw with non-zero pixels or a selection.");
		try (PixelModel net = network()) {
			requireLevels(image, net, "image");
			int[] levels = levels(image.getProcessor(), net.channels());
			progress.log(net + ": " + samples + " completion(s) of " + count + " pixel(s) of '" + image.getTitle() + "', seed " + seed +
				", temperature " + temperature + ".");
			Canvas canvas = Canvas.copies(levels, samples, net.channels(), h, w);
			net.draw(canvas, masked, seed, temperature, manager(), progress);
			result = new ImagePlus(image.getShortTitle() + "-completed", stack(canvas, k -> "seed " + seed + " + " + k));
		}
	}

	/** The pixels to re-draw: the mask image's non-zero pixels, or the selection's. */
	private boolean[] mask() {
		int w = image.getWidth(), h = image.getHeight();
		boolean[] out = new boolean[w * h];
		if (mask != null) {
			if (mask.getWidth() != w || mask.getHeight() != h) {
				throw new GenIJException("The mask '" + mask.getTitle() + "' is " + mask.getWidth() + "x" + mask.getHeight() + "; the image is " +
					w + "x" + h + ": give a mask of the image's size.");
			}
			FinitePixels.require(mask);
			ImageProcessor ip = mask.getProcessor();
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) out[y * w + x] = ip.getf(x, y) != 0;
			return out;
		}
		Roi roi = image.getRoi();
		if (roi == null || !roi.isArea()) {
			throw new GenIJException("Nothing marks the region to complete: draw an area selection on '" + image.getTitle() +
				"' or give mask=<image whose non-zero pixels are re-drawn>.");
		}
		Rectangle b = roi.getBounds();
		ImageProcessor roiMask = roi.getMask();
		for (int y = Math.max(0, b.y); y < Math.min(h, b.y + b.height); y++)
			for (int x = Math.max(0, b.x); x < Math.min(w, b.x + b.width); x++)
				out[y * w + x] = roiMask == null || roiMask.get(x - b.x, y - b.y) != 0;
		return out;
	}
}
