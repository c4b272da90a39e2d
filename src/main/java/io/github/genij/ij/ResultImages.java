package io.github.genij.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import io.github.genij.core.GenIJException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** New ImagePlus images for a network's results, shaped and typed as the user asked. */
public final class ResultImages {

	private ResultImages() {}

	/**
	 * A blank image for a result with {@code channels} channels, with the input's width, height, slices,
	 * frames and calibration, typed by {@code type}: {@link OutputType#AUTO} keeps the input's type (RGB
	 * stays RGB when the network gives three channels), {@link OutputType#FLOAT32} is 32-bit.
	 */
	public static ImagePlus create(ImagePlus input, int channels, OutputType type, String title) {
		int w = input.getWidth(), h = input.getHeight(), z = input.getNSlices(), t = input.getNFrames();
		boolean rgb = type == OutputType.AUTO && ImagePlusImgs.isRgb(input) && channels == 3;
		int bitDepth = type == OutputType.FLOAT32 ? 32 : rgb ? 24 : ImagePlusImgs.isRgb(input) ? 8 : input.getBitDepth();
		int planes = rgb ? 1 : channels;
		ImagePlus out = IJ.createHyperStack(title, w, h, planes, z, t, bitDepth);
		if (out == null) {
			throw new GenIJException("Not enough memory for a " + w + "x" + h + " result with " + planes + " channel(s), " +
				z + " slice(s) and " + t + " frame(s). Crop the input or free memory.");
		}
		Calibration cal = input.getCalibration();
		if (cal != null) out.setCalibration(cal.copy());
		return out;
	}

	/** A title for a result: the input's without its extension, then a suffix ({@code photo-styled}). */
	public static String titleFor(ImagePlus input, String suffix) {
		String t = input.getTitle();
		int dot = t.lastIndexOf('.');
		if (dot > 0 && t.length() - dot <= 5) t = t.substring(0, dot);
		return t + "-" + suffix;
	}

	/**
	 * Writes a result's {@code [W, H, C]} values into {@code result} at (z, t), 1-based. RGB results are
	 * packed here rather than through imglib2's ARGB channel converters, whose writes disturb the other
	 * channels of the pixel.
	 */
	public static void write(RandomAccessibleInterval<? extends RealType<?>> values, ImagePlus result, int z, int t) {
		writeRows(values, result, z, t, 0);
	}

	/**
	 * Writes {@code [W, n, C]} values into rows {@code firstRow .. firstRow + n - 1} of {@code result} at (z, t),
	 * the other rows untouched: how a result is filled band by band.
	 */
	public static void writeRows(RandomAccessibleInterval<? extends RealType<?>> values, ImagePlus result, int z, int t,
		int firstRow)
	{
		int w = result.getWidth(), n = (int) values.dimension(1);
		if (!ImagePlusImgs.isRgb(result)) {
			RandomAccessibleInterval<? extends RealType<?>> target = ImagePlusImgs.asChannels(result, z, t);
			copyClamped(values, Views.interval(target, new long[] { 0, firstRow, 0 },
				new long[] { w - 1, firstRow + n - 1, target.dimension(2) - 1 }));
			return;
		}
		int[] pixels = ImagePlusImgs.rgb(result, z, t).update(null).getCurrentStorageArray();
		int start = firstRow * w, count = n * w;
		java.util.Arrays.fill(pixels, start, start + count, 0xff000000);
		Cursor<? extends RealType<?>> in = Views.flatIterable(values).cursor();
		for (int c = 0; c < 3; c++) {
			int shift = 16 - 8 * c;
			for (int i = start; i < start + count; i++) {
				double v = in.next().getRealDouble();
				int b = v > 0 ? (v >= 255 ? 255 : (int) Math.floor(v + 0.5)) : 0;
				pixels[i] |= b << shift;
			}
		}
	}

	/**
	 * Copies real values into an image of any real type, rounding and clamping for integer types. Both are
	 * walked in flat-iteration order, so they must have the same dimensions.
	 */
	public static void copyClamped(RandomAccessibleInterval<? extends RealType<?>> source,
		RandomAccessibleInterval<? extends RealType<?>> target)
	{
		Cursor<? extends RealType<?>> in = Views.flatIterable(source).cursor();
		Cursor<? extends RealType<?>> out = Views.flatIterable(target).cursor();
		RealType<?> type = target.getType();
		boolean integer = type instanceof net.imglib2.type.numeric.IntegerType;
		double min = type.getMinValue(), max = type.getMaxValue();
		while (in.hasNext()) {
			double v = in.next().getRealDouble();
			if (integer) v = Double.isNaN(v) ? min : Math.floor(Math.max(min, Math.min(max, v)) + 0.5);
			out.next().setReal(v);
		}
	}
}
