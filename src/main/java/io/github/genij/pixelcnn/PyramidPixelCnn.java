package io.github.genij.pixelcnn;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.nn.module.ModuleList;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * Kolesnikov &amp; Lampert's Pyramid PixelCNN: the image and its coarser levels x1 ... x(K-1) (each pixel the rounded
 * mean of a 2^k block, {@link AuxiliaryImages#level}), modelled as p(x(K-1)) p(x(K-2) | x(K-1)) ... p(x | x1).
 * {@code scales.k} is the conditional PixelCNN of level k given level k+1, whose conditioning network reads the whole
 * coarser level and up-samples it to level k's size; the coarsest, {@code scales.(K-1)}, is unconditional. Sampling
 * goes from the coarsest level to the image, each level a small image; a completion re-draws, at every level, the
 * blocks that hold a masked pixel.
 */
public final class PyramidPixelCnn extends PixelModel {

	public final int channels;
	final ModuleList<ConditionalPixelCnn> scales;

	/**
	 * @param pyramidLevels K: the image and K-1 coarser levels (at least 2)
	 * @param blocks gated blocks per stream of each level's causal stack (3 in the paper's code)
	 * @param levels, auxBlocks each conditioning network's resolutions and blocks per resolution (2 and 2)
	 */
	public PyramidPixelCnn(int channels, int pyramidLevels, int filters, int mixtures, int blocks, int levels, int auxBlocks, boolean weightNorm) {
		if (pyramidLevels < 2) throw new IllegalArgumentException("a pyramid needs at least 2 levels, not " + pyramidLevels);
		this.channels = channels;
		scales = add("scales", new ModuleList<>());
		for (int k = 0; k < pyramidLevels; k++) {
			boolean coarsest = k == pyramidLevels - 1;
			scales.append(new ConditionalPixelCnn(channels, coarsest ? 0 : channels, true, filters, blocks, mixtures, levels, auxBlocks, weightNorm));
		}
	}

	public int levels() {
		return scales.size();
	}

	@Override
	public int channels() {
		return channels;
	}

	@Override
	public String variant() {
		return PixelCnnFamily.PYRAMID;
	}

	@Override
	NDArray nats(Canvas images, NDManager manager, DataType type) {
		int h = images.height, w = images.width;
		NDArray[] pyramid = new NDArray[levels()]; // each level once: level k is also level k - 1's condition
		for (int k = 0; k < pyramid.length; k++) {
			Canvas level = AuxiliaryImages.level(images, k);
			pyramid[k] = level.rows(manager, level.height, type);
		}
		NDArray total = null;
		for (int k = 0; k < levels(); k++) {
			ConditionalPixelCnn net = scales.items().get(k);
			NDArray x = pyramid[k], coarser = k + 1 < levels() ? pyramid[k + 1] : null;
			NDArray features = coarser == null ? null : net.features(coarser, x.getShape().get(2), x.getShape().get(3));
			NDArray nats = LogisticMixture.nllPerPixel(x, net.forward(x, features)); // [N, h_k, w_k]
			if (k > 0) { // each block's share, spread over its image pixels
				int b = 1 << k;
				nats = nats.repeat(1, b).repeat(2, b).get(":, :" + h + ", :" + w)
					.mul(manager.create(AuxiliaryImages.shares(h, w, k), new Shape(1, h, w)).toType(nats.getDataType(), false));
			}
			total = total == null ? nats : total.add(nats);
		}
		return total;
	}

	@Override
	long wholeImageBytes(int height, int width) {
		ConditionalPixelCnn fine = scales.items().get(0);
		return 4L * height * width * fine.filters * (6L * fine.blocks() + 24);
	}

	@Override
	public void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress, DataType type,
		PixelSampler.Passes passes)
	{
		NumpyRandom[] streams = PixelSampler.streams(seed, canvas.count);
		Canvas coarser = null;
		for (int k = levels() - 1; k >= 0; k--) {
			Canvas level = k == 0 ? canvas : AuxiliaryImages.level(canvas, k);
			boolean[] levelMask = AuxiliaryImages.mask(mask, canvas.height, canvas.width, k);
			progress.status("Pyramid PixelCNN: level " + k + " (" + level.width + "x" + level.height + ")");
			ConditionalPixelCnn net = scales.items().get(k);
			try (NDManager held = manager.newSubManager()) {
				NDArray features = coarser == null ? null : net.features(coarser.rows(held, coarser.height, type), level.height, level.width);
				new PixelSampler(channels, net.mixtures, PixelSampler.rows(net, features, type, passes)).draw(level, levelMask, streams, temperature,
					held, progress);
			}
			coarser = level;
		}
	}

	@Override
	public void dropout(Random r) {
		for (ConditionalPixelCnn s : scales.items()) s.dropout(r);
	}

	@Override
	public String toString() {
		ConditionalPixelCnn fine = scales.items().get(0);
		return "Pyramid PixelCNN (" + (channels == 3 ? "RGB" : "grey") + ", " + levels() + " levels, " + fine.blocks() + " blocks, " + fine.filters +
			" filters, " + fine.mixtures + " logistics)";
	}
}
