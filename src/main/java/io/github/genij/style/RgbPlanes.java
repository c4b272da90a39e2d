package io.github.genij.style;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.ij.ImagePlusImgs;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.ResultImages;
import io.github.genij.ij.StackRunner;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * An image as three float planes, R, G and B, scaled so that the image's black is 0 and its white 255
 * ({@link StackRunner#valueRange}). Gray images become three equal planes. This is the common ground
 * of the style commands: colour arithmetic happens here, tensors are made from {@link #asImg()}.
 */
public final class RgbPlanes {

	public final int width, height;
	/** [W, H, 3] in 0..255 units. */
	private final ArrayImg<FloatType, FloatArray> img;
	/** The source image's black and white, to map results back. */
	public final ValueRange range;
	public final boolean gray;

	private RgbPlanes(int width, int height, ArrayImg<FloatType, FloatArray> img, ValueRange range, boolean gray) {
		this.width = width;
		this.height = height;
		this.img = img;
		this.range = range;
		this.gray = gray;
	}

	/** The (z, t) position of {@code imp} the user is looking at; RGB or single-channel images only. */
	public static RgbPlanes of(ImagePlus imp) {
		return of(imp, imp.getZ(), imp.getT());
	}

	/** Position (z, t) of {@code imp}, scaled with the range of the whole stack (every slice alike). */
	public static RgbPlanes of(ImagePlus imp, int z, int t) {
		boolean rgb = !requireRgbOrGray(imp);
		ValueRange range = StackRunner.valueRange(imp);
		RandomAccessibleInterval<? extends RealType<?>> src = ImagePlusImgs.asChannels(imp, z, t);
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(imp.getWidth(), imp.getHeight(), 3);
		float scale = (float) (255 / (range.high - range.low)), offset = (float) -range.low * scale;
		int plane = imp.getWidth() * imp.getHeight();
		float[] out = img.update(null).getCurrentStorageArray();
		Cursor<? extends RealType<?>> c = Views.flatIterable(src).cursor();
		for (int i = 0; c.hasNext(); i++) out[i] = c.next().getRealFloat() * scale + offset;
		if (!rgb) {
			System.arraycopy(out, 0, out, plane, plane);
			System.arraycopy(out, 0, out, 2 * plane, plane);
		}
		return new RgbPlanes(imp.getWidth(), imp.getHeight(), img, range, !rgb);
	}

	/**
	 * Whether {@code imp} is gray (one channel); refused when it is neither RGB nor one channel, which is
	 * what style transfer takes.
	 */
	public static boolean requireRgbOrGray(ImagePlus imp) {
		if (ImagePlusImgs.isRgb(imp)) return false;
		if (imp.getNChannels() != 1) {
			throw new GenIJException("'" + imp.getTitle() + "' has " + imp.getNChannels() + " channels; style transfer " +
				"takes RGB or single-channel images. Make it RGB first (Image > Color > Stack to RGB).");
		}
		return true;
	}

	/** New planes of a given size (for results), in the units of {@code like}. */
	public static RgbPlanes blank(int width, int height, ValueRange range, boolean gray) {
		return new RgbPlanes(width, height, ArrayImgs.floats(width, height, 3), range, gray);
	}

	/** The planes as a {@code [W, H, 3]} image (0..255 units): the view tensors are made from and written into. */
	public ArrayImg<FloatType, FloatArray> asImg() {
		return img;
	}

	float[] data() {
		return img.update(null).getCurrentStorageArray();
	}

	/**
	 * The result as an ImagePlus like {@code like}: RGB stays RGB, a gray image gets the luminance back in
	 * its own type and scale; {@link OutputType#FLOAT32} gives three 32-bit channels in the input's scale.
	 */
	public ImagePlus toImage(ImagePlus like, OutputType type, String title) {
		ImagePlus single = new ImagePlus(like.getTitle(), like.getProcessor().createProcessor(width, height));
		single.setCalibration(like.getCalibration());
		ImagePlus result = resultLike(single, gray, type, title);
		writeInto(result, 1, 1, type);
		return result;
	}

	/** An empty result for every position of {@code like}: RGB stays RGB, gray gets one channel unless float32. */
	public static ImagePlus resultLike(ImagePlus like, boolean gray, OutputType type, String title) {
		return ResultImages.create(like, gray && type == OutputType.AUTO ? 1 : 3, type, title);
	}

	/** Writes these planes into position (z, t) of a result made by {@link #resultLike}. */
	public void writeInto(ImagePlus result, int z, int t, OutputType type) {
		int plane = width * height;
		float[] v = data();
		float scale = (float) ((range.high - range.low) / 255), offset = (float) range.low;
		boolean oneChannel = gray && type == OutputType.AUTO;
		ArrayImg<FloatType, FloatArray> values = ArrayImgs.floats(width, height, oneChannel ? 1 : 3);
		float[] out = values.update(null).getCurrentStorageArray();
		for (int i = 0; i < plane; i++) {
			if (oneChannel) out[i] = LuminanceTransfer.luma(v[i], v[plane + i], v[2 * plane + i]) * scale + offset;
			else for (int c = 0; c < 3; c++) out[c * plane + i] = v[c * plane + i] * scale + offset;
		}
		ResultImages.write(values, result, z, t);
	}
}
