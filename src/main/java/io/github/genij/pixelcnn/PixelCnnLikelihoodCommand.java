package io.github.genij.pixelcnn;

import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import io.github.genij.core.progress.Progress;
import io.github.genij.ij.FinitePixels;

/**
 * Where an image surprises a PixelCNN: each pixel's negative log-likelihood in bits (its channels together),
 * given the pixels before it in raster order; and the image's bits per dimension (the map's mean over the
 * channels). Each slice adds a row to the Results table.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>PixelCNN>PixelCNN Likelihood", headless = true,
	description = "A 32-bit map of each pixel's negative log-likelihood in bits under a PixelCNN model (PixelCNN++; for the Grayscale and Pyramid PixelCNNs with the image's auxiliary images), and the image's bits/dim " +
		"(added to the Results table, one row per slice)")
public class PixelCnnLikelihoodCommand extends PixelCnnCommand {

	@Parameter(label = "Image", description = "8-bit grey or RGB, as the model was trained on; every slice")
	private ImagePlus image;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Parameter(label = "Bits per dimension", type = ItemIO.OUTPUT)
	private Double bitsperdim;

	@Override
	protected String displayName() {
		return "PixelCNN Likelihood";
	}

	@Override
	protected void execute(Progress progress) {
		FinitePixels.require(image);
		try (PixelModel net = network()) {
			requireLevels(image, net, "image");
			int w = image.getWidth(), h = image.getHeight(), n = image.getStackSize();
			ImageStack maps = new ImageStack(w, h);
			ResultsTable table = ResultsTable.getResultsTable();
			double sum = 0;
			int batch = Likelihood.batch(net, h, w);
			for (int first = 1; first <= n; first += batch) {
				progress.checkCancelled();
				int last = Math.min(n, first + batch - 1);
				progress.status("PixelCNN likelihood: slice " + first + (last > first ? "-" + last : "") + " of " + n);
				java.util.List<int[]> levels = new java.util.ArrayList<>();
				for (int i = first; i <= last; i++) levels.add(levels(image.getStack().getProcessor(i), net.channels()));
				java.util.List<Likelihood.Map> found = Likelihood.of(net, levels, h, w, manager(), progress);
				for (int i = first; i <= last; i++) {
					Likelihood.Map map = found.get(i - first);
					String label = image.getStack().getSliceLabel(i);
					maps.addSlice(label, new FloatProcessor(w, h, map.bits));
					sum += map.bitsPerDim;
					if (table != null) {
						table.incrementCounter();
						table.addValue("image", image.getTitle());
						table.addValue("slice", i);
						table.addValue("bitsperdim", map.bitsPerDim);
					}
					if (n > 1 && n <= 50) // a long stack's figures are in the Results table, not one log line each
						progress.log(String.format(Locale.ROOT, "slice %d%s: %.4f bits/dim", i, label == null ? "" : " (" + label + ")", map.bitsPerDim));
				}
				progress.progress(last, n);
			}
			bitsperdim = sum / n;
			result = new ImagePlus(image.getShortTitle() + "-nll-bits", maps);
			result.resetDisplayRange();
			if (table != null && !java.awt.GraphicsEnvironment.isHeadless()) table.show("Results");
		}
	}
}
