package io.github.genij.pixelcnn;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;

/**
 * What the PixelCNN commands and the trainer ask of a model, whichever variant: PixelCNN++ ({@link PixelCnnPP}),
 * or Kolesnikov &amp; Lampert's auxiliary-variable models ({@link GrayscalePixelCnn}, {@link PyramidPixelCnn}),
 * which first model an auxiliary image computed from the image (its 4-bit grey version, or its coarser levels)
 * and then the image given it.
 * <p>
 * An auxiliary-variable model's likelihood is that of the image together with its auxiliary images, p(x, a(x)),
 * as the paper reports it: since a(x) is a function of x, it is at most p(x), so its bits/dim are an upper bound of
 * the model's for x alone.
 */
public abstract class PixelModel extends Module {

	/** The image channels (1 grey, 3 RGB) of 8-bit levels. */
	public abstract int channels();

	/** {@code pixelcnn++}, {@code grayscale} or {@code pyramid}. */
	public abstract String variant();

	/**
	 * The negative log-likelihood in nats of each pixel of a batch of images (8-bit levels), {@code [N, H, W]}, all
	 * its channels together; for the auxiliary-variable models the auxiliary images' shares are spread over the
	 * pixels they summarise, so that the map sums to the image's total. Differentiable (training).
	 */
	abstract NDArray nats(Canvas images, NDManager manager, DataType type);

	/** A rough peak of a whole-image pass's activations in bytes, float32, for one image of this size. */
	abstract long wholeImageBytes(int height, int width);

	/**
	 * Draws the pixels of {@code canvas} (8-bit levels) where {@code mask} is true (null: all), keeping the others;
	 * image k draws from numpy's {@code RandomState(seed + k)} (see {@link PixelSampler}).
	 */
	public abstract void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress,
		DataType type, PixelSampler.Passes passes);

	/** As above in float32, row by row. */
	public final void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress) {
		draw(canvas, mask, seed, temperature, manager, progress, DataType.FLOAT32, PixelSampler.Passes.ROW_BY_ROW);
	}

	/** Switches dropout on (drawing from {@code r}) or off (null): training. */
	public abstract void dropout(Random r);
}
