package io.github.genij.stylegan;

import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.genij.ij.OutputType;

/**
 * Generated images ({@code [C, H, W]} values of about -1..1) as an ImagePlus stack, one slice per image.
 * 8-bit as NVIDIA's scripts save them: {@code x · 127.5 + 128}, clamped to 0..255 and truncated (RGB for 3
 * channels, gray for 1, a channel per plane otherwise); float32: the raw values, a channel per plane.
 */
public final class GeneratedImages {

	private GeneratedImages() {}

	public static ImagePlus stack(List<float[]> images, List<String> labels, int channels, int size, OutputType type, String title) {
		ImageStack stack = new ImageStack(size, size);
		boolean rgb = channels == 3 && type == OutputType.AUTO;
		for (int i = 0; i < images.size(); i++) {
			float[] v = images.get(i);
			if (rgb) stack.addSlice(labels.get(i), rgb(v, size));
			else {
				for (int c = 0; c < channels; c++) {
					float[] plane = new float[size * size];
					System.arraycopy(v, c * size * size, plane, 0, plane.length);
					String label = labels.get(i) + (channels > 1 ? " c" + c : "");
					stack.addSlice(label, type == OutputType.FLOAT32 ? new FloatProcessor(size, size, plane) : bytes(plane, size));
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

	private static ColorProcessor rgb(float[] v, int size) {
		int n = size * size;
		int[] px = new int[n];
		for (int i = 0; i < n; i++) px[i] = toByte(v[i]) << 16 | toByte(v[n + i]) << 8 | toByte(v[2 * n + i]);
		return new ColorProcessor(size, size, px);
	}

	private static ByteProcessor bytes(float[] plane, int size) {
		byte[] b = new byte[plane.length];
		for (int i = 0; i < b.length; i++) b[i] = (byte) toByte(plane[i]);
		return new ByteProcessor(size, size, b);
	}
}
