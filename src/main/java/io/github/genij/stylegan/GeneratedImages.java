package io.github.genij.stylegan;

import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.PackedRgb;

/**
 * Generated images ({@code [C, H, W]} values of about -1..1) as an ImagePlus stack, one slice per image.
 * 8-bit as NVIDIA's scripts save them: {@code x · 127.5 + 128}, clamped to 0..255 and truncated (RGB for 3
 * channels, gray for 1, a channel per plane otherwise); float32: the raw values, a channel per plane.
 */
public final class GeneratedImages {

	private GeneratedImages() {}

	public static ImagePlus stack(List<float[]> images, List<String> labels, int channels, int size, OutputType type, String title) {
		return stack(images, labels, channels, size, size, type, title);
	}

	/** The same for images of {@code width} × {@code height}. */
	public static ImagePlus stack(List<float[]> images, List<String> labels, int channels, int width, int height, OutputType type,
		String title)
	{
		ImageStack stack = new ImageStack(width, height);
		boolean rgb = channels == 3 && type == OutputType.AUTO;
		for (int i = 0; i < images.size(); i++) {
			float[] v = images.get(i);
			if (rgb) stack.addSlice(labels.get(i), PackedRgb.of(v, width, height, width, height, x -> toByte((float) x)));
			else {
				int n = width * height;
				for (int c = 0; c < channels; c++) {
					float[] plane = new float[n];
					System.arraycopy(v, c * n, plane, 0, n);
					String label = labels.get(i) + (channels > 1 ? " c" + c : "");
					stack.addSlice(label, type == OutputType.FLOAT32 ? new FloatProcessor(width, height, plane)
						: bytes(plane, width, height));
				}
			}
		}
		ImagePlus imp = new ImagePlus(title, stack);
		if (!rgb && channels > 1) imp.setDimensions(channels, images.size(), 1);
		if (type == OutputType.FLOAT32) imp.setDisplayRange(-1, 1);
		return imp;
	}

	/** NVIDIA's conversion of one value to 8 bits. */
	static int toByte(float x) {
		float v = x * 127.5f + 128f;
		if (!(v > 0)) return 0; // NaN too
		return v >= 255 ? 255 : (int) v;
	}

	private static ByteProcessor bytes(float[] plane, int width, int height) {
		byte[] b = new byte[plane.length];
		for (int i = 0; i < b.length; i++) b[i] = (byte) toByte(plane[i]);
		return new ByteProcessor(width, height, b);
	}

	/**
	 * NVIDIA's style-mixing montage: a blank (black) corner, the column seeds' images across the top, the row
	 * seeds' down the side, the mix of row r and column c where they cross.
	 */
	public static ImagePlus grid(Map<Long, float[]> plain, List<Long> rows, List<Long> cols, List<float[]> mixes, int channels,
		int size, OutputType type, String title)
	{
		int w = size * (cols.size() + 1), h = size * (rows.size() + 1);
		float[] canvas = new float[channels * w * h];
		java.util.Arrays.fill(canvas, BLACK);
		for (int i = 0; i < cols.size(); i++) paste(plain.get(cols.get(i)), canvas, channels, size, w, h, (i + 1) * size, 0);
		for (int j = 0; j < rows.size(); j++) {
			paste(plain.get(rows.get(j)), canvas, channels, size, w, h, 0, (j + 1) * size);
			for (int i = 0; i < cols.size(); i++)
				paste(mixes.get(j * cols.size() + i), canvas, channels, size, w, h, (i + 1) * size, (j + 1) * size);
		}
		return stack(List.of(canvas), List.of("rows " + rows + ", columns " + cols), channels, w, h, type, title);
	}

	/**
	 * Images of {@code size}² side by side, {@code columns} to a row (a seed grid, an interpolation strip), on black;
	 * {@code [C, rows · size, columns · size]}.
	 */
	public static float[] tiled(List<float[]> images, int columns, int channels, int size) {
		int rows = (images.size() + columns - 1) / columns, w = columns * size, h = rows * size;
		float[] canvas = new float[channels * w * h];
		java.util.Arrays.fill(canvas, BLACK);
		for (int i = 0; i < images.size(); i++) paste(images.get(i), canvas, channels, size, w, h, (i % columns) * size, (i / columns) * size);
		return canvas;
	}

	/** The value that saves as 0 (x · 127.5 + 128 < 0.5). */
	private static final float BLACK = -128f / 127.5f;

	private static void paste(float[] image, float[] canvas, int channels, int size, int w, int h, int x0, int y0) {
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < size; y++)
				System.arraycopy(image, (c * size + y) * size, canvas, (c * h + y0 + y) * w + x0, size);
	}
}
