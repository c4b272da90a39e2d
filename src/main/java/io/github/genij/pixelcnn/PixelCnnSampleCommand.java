package io.github.genij.pixelcnn;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import io.github.genij.core.progress.Progress;

/** New images from a PixelCNN (any variant), drawn pixel by pixel; the same seed gives the same images. */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>PixelCNN>PixelCNN Sample", headless = true,
	description = "Draws new images from a PixelCNN model (PixelCNN++, Grayscale or Pyramid), pixel by pixel in raster order")
public class PixelCnnSampleCommand extends PixelCnnCommand {

	@Parameter(label = "Width", min = "1", max = "4096", persist = false)
	private int width = 32;

	@Parameter(label = "Height", min = "1", max = "4096", persist = false)
	private int height = 32;

	@Parameter(label = "Count", min = "1", max = "1024", persist = false, description = "How many images (drawn together)")
	private int count = 4;

	@Parameter(label = "Seed", min = "0", max = "4294967295", persist = false,
		description = "Image k draws from numpy's RandomState(seed + k): a seed gives the same images whatever the count")
	private long seed = 0;

	@Parameter(label = "Temperature", min = "0", max = "10", persist = false,
		description = "1 draws from the model's distribution; below 1 sharper and less varied (the logistics' scales times T, " +
			"as Kolesnikov & Lampert's scale_var = ln T); 0 almost takes each chosen component's mean")
	private double temperature = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "PixelCNN Sample";
	}

	@Override
	protected void execute(Progress progress) {
		try (PixelModel net = network()) {
			progress.log(net + ": " + count + " image(s) of " + width + "x" + height + ", seed " + seed + ", temperature " + temperature +
				"; one network pass per pixel (" + (long) width * height + ").");
			Canvas canvas = new Canvas(count, net.channels(), height, width);
			net.draw(canvas, null, seed, temperature, manager(), progress);
			result = new ImagePlus("pixelcnn-seed-" + seed, stack(canvas, k -> "seed " + seed + " + " + k));
		}
	}
}
