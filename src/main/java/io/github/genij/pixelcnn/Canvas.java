package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Images of 8-bit levels being sampled or completed: {@code count} images of {@code channels x height x width},
 * each channel a plane, as the network's {@code [N, C, H, W]} tensors lay them out.
 */
public final class Canvas {

	public final int count, channels, height, width;
	/** How many levels a channel has: 256 (8-bit), 16 for the Grayscale PixelCNN's 4-bit image. */
	public final int depth;
	/** The levels 0..depth-1, image after image, channel planes within an image. */
	public final int[] levels;

	public Canvas(int count, int channels, int height, int width) {
		this(count, channels, height, width, 256);
	}

	public Canvas(int count, int channels, int height, int width, int depth) {
		this.depth = depth;
		this.count = count;
		this.channels = channels;
		this.height = height;
		this.width = width;
		this.levels = new int[count * channels * height * width];
	}

	/** {@code count} copies of one image's levels ({@code [C, H, W]}): the start of a completion. */
	public static Canvas copies(int[] image, int count, int channels, int height, int width) {
		Canvas c = new Canvas(count, channels, height, width);
		for (int k = 0; k < count; k++) System.arraycopy(image, 0, c.levels, k * image.length, image.length);
		return c;
	}

	/** Several images of one size ({@code [C, H, W]} levels each) side by side: a batch for one pass. */
	public static Canvas of(java.util.List<int[]> images, int channels, int height, int width) {
		Canvas c = new Canvas(images.size(), channels, height, width);
		int size = channels * height * width;
		for (int k = 0; k < images.size(); k++) System.arraycopy(images.get(k), 0, c.levels, k * size, size);
		return c;
	}

	int index(int image, int channel, int row, int column) {
		return ((image * channels + channel) * height + row) * width + column;
	}

	/** The first {@code rows} rows of every image as the network's input: levels / ((depth - 1) / 2) - 1, float32 or float64. */
	NDArray rows(NDManager manager, int rows, DataType type) {
		return rows(manager, 0, rows, type);
	}

	/** Rows {@code from} to {@code to - 1} of every image as the network's input, {@code [count, C, to - from, W]}. */
	NDArray rows(NDManager manager, int from, int to, DataType type) {
		int rows = to - from, n = count * channels * rows * width;
		double half = (depth - 1) / 2.0;
		Shape shape = new Shape(count, channels, rows, width);
		boolean doubles = type == DataType.FLOAT64; // exact comparisons; float32 otherwise, made as such (no second copy)
		double[] d = doubles ? new double[n] : null;
		float[] f = doubles ? null : new float[n];
		int o = 0;
		for (int k = 0; k < count; k++)
			for (int c = 0; c < channels; c++)
				for (int y = from; y < to; y++) {
					int base = index(k, c, y, 0);
					for (int x = 0; x < width; x++, o++) {
						if (doubles) d[o] = levels[base + x] / half - 1.0;
						else f[o] = (float) (levels[base + x] / half - 1.0);
					}
				}
		return doubles ? manager.create(d, shape) : manager.create(f, shape);
	}

	/** One image's levels, {@code [C, H, W]}. */
	public int[] image(int k) {
		int size = channels * height * width;
		int[] out = new int[size];
		System.arraycopy(levels, k * size, out, 0, size);
		return out;
	}
}
