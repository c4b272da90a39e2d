package io.github.genij.pixelcnn;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * Kolesnikov &amp; Lampert's Grayscale PixelCNN: p(x) through p(g) p(x | g), where g is the image's 4-bit grey version
 * ({@link AuxiliaryImages#grey}). A PixelCNN++ ({@code grey}) models g over its 16 levels; a conditional PixelCNN
 * ({@code colour}) models the 8-bit image given all of g, which its conditioning network reads at once. Sampling
 * draws g, then the image; a completion re-draws the masked part of g, then of the image.
 */
public final class GrayscalePixelCnn extends PixelModel {

	public final int channels;
	final PixelCnnPP grey;
	final ConditionalPixelCnn colour;

	/**
	 * @param blocks, filters, mixtures the grey PixelCNN++'s ({@code nr_resnet}, {@code nr_filters},
	 *        {@code nr_logistic_mix}); the colour stack has as many filters and mixtures
	 * @param colourBlocks the colour stack's gated blocks per stream (3 in the paper's code)
	 * @param levels, auxBlocks its conditioning network's resolutions and blocks per resolution (2 and 2)
	 */
	public GrayscalePixelCnn(int channels, int blocks, int filters, int mixtures, int colourBlocks, int levels, int auxBlocks,
		boolean weightNorm)
	{
		this.channels = channels;
		grey = add("grey", new PixelCnnPP(1, blocks, filters, mixtures, weightNorm));
		colour = add("colour", new ConditionalPixelCnn(channels, 1, false, filters, colourBlocks, mixtures, levels, auxBlocks, weightNorm));
	}

	@Override
	public int channels() {
		return channels;
	}

	@Override
	public String variant() {
		return PixelCnnFamily.GRAYSCALE;
	}

	@Override
	NDArray nats(Canvas images, NDManager manager, DataType type) {
		NDArray g = AuxiliaryImages.grey(images).rows(manager, images.height, type);
		NDArray x = images.rows(manager, images.height, type);
		NDArray greyNats = LogisticMixture.nllPerPixel(g, grey.forward(g), AuxiliaryImages.GREY_DEPTH);
		NDArray colourNats = LogisticMixture.nllPerPixel(x, colour.forward(x, colour.features(g, images.height, images.width)));
		return greyNats.add(colourNats);
	}

	@Override
	long wholeImageBytes(int height, int width) {
		return grey.wholeImageBytes(height, width) + 4L * height * width * colour.filters * (6L * colour.blocks() + 16);
	}

	@Override
	public void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress, DataType type,
		PixelSampler.Passes passes)
	{
		NumpyRandom[] streams = PixelSampler.streams(seed, canvas.count);
		Canvas g = AuxiliaryImages.grey(canvas);
		progress.status("Grayscale PixelCNN: the 4-bit grey image");
		new PixelSampler(1, grey.mixtures, PixelSampler.rows(grey, type, passes)).draw(g, mask, streams, temperature, manager, progress);
		progress.status("Grayscale PixelCNN: the image given its grey version");
		try (NDManager held = manager.newSubManager()) {
			NDArray features = colour.features(g.rows(held, g.height, type), canvas.height, canvas.width);
			new PixelSampler(channels, colour.mixtures, PixelSampler.rows(colour, features, type, passes)).draw(canvas, mask, streams, temperature,
				held, progress);
		}
	}

	@Override
	public void dropout(Random r) {
		grey.dropout(r);
		colour.dropout(r);
	}

	@Override
	public String toString() {
		return "Grayscale PixelCNN (" + (channels == 3 ? "RGB" : "grey") + "; 4-bit grey image: " + grey + "; image given it: " + colour.blocks() +
			" blocks, " + colour.filters + " filters, " + colour.mixtures + " logistics)";
	}
}
