package io.github.genij.pixelcnn;

import org.scijava.plugin.Parameter;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.TrainingImages;
import io.github.genij.ij.GenIJCommand;

/**
 * What the PixelCNN commands share: the {@code model} key, and 8-bit images as the model's levels (grey for a
 * one-channel model, RGB for a three-channel one) and back.
 */
abstract class PixelCnnCommand extends GenIJCommand {

	@Parameter(label = "Model", persist = false,
		description = "A PixelCNN++ state dict (pclucas14/pixel-cnn-pp's .pth, DataParallel or not) or an installed model name (PixelCNN++, Grayscale or Pyramid PixelCNN)")
	protected String model = "";

	/** The network, read once per file version in a session. */
	protected PixelModel network() {
		return PixelCnnModels.load(model(model, "model"), manager());
	}

	/** Refuses an image the model cannot read, saying which conversion fixes it. */
	static void requireLevels(ImagePlus imp, PixelModel net, String key) {
		boolean grey = imp.getType() == ImagePlus.GRAY8, rgb = imp.getType() == ImagePlus.COLOR_RGB;
		if (net.channels() == 1 && !grey) {
			throw new GenIJException(key + " '" + imp.getTitle() + "' is " + kind(imp) + "; this PixelCNN models 8-bit grey levels: " +
				"convert it with Image > Type > 8-bit.");
		}
		if (net.channels() == 3 && !rgb) {
			throw new GenIJException(key + " '" + imp.getTitle() + "' is " + kind(imp) + "; this PixelCNN models 8-bit RGB: " +
				"convert it with Image > Type > RGB Color.");
		}
	}

	private static String kind(ImagePlus imp) {
		switch (imp.getType()) {
		case ImagePlus.GRAY8:
			return "8-bit grey";
		case ImagePlus.COLOR_RGB:
			return "RGB";
		case ImagePlus.COLOR_256:
			return "8-bit colour (indexed)";
		default:
			return imp.getBitDepth() + "-bit";
		}
	}

	/** A slice's levels, {@code [C, H, W]}. */
	static int[] levels(ImageProcessor ip, int channels) {
		return TrainingImages.levels(ip, channels);
	}

	/** Levels {@code [C, H, W]} as a slice: 8-bit grey or RGB. */
	static ImageProcessor slice(int[] levels, int channels, int width, int height) {
		int n = width * height;
		if (channels == 1) {
			byte[] p = new byte[n];
			for (int i = 0; i < n; i++) p[i] = (byte) levels[i];
			return new ByteProcessor(width, height, p);
		}
		int[] p = new int[n];
		for (int i = 0; i < n; i++) p[i] = (levels[i] << 16) | (levels[n + i] << 8) | levels[2 * n + i];
		return new ColorProcessor(width, height, p);
	}

	/** Every image of a canvas as a stack, slice labels from {@code label}. */
	static ImageStack stack(Canvas canvas, java.util.function.IntFunction<String> label) {
		ImageStack out = new ImageStack(canvas.width, canvas.height);
		for (int k = 0; k < canvas.count; k++) out.addSlice(label.apply(k), slice(canvas.image(k), canvas.channels, canvas.width, canvas.height));
		return out;
	}
}
