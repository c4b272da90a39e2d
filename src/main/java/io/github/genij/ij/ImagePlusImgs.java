package io.github.genij.ij;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;

/**
 * ImageJ 1.x images as imglib2 images over the very same pixel arrays: nothing is copied, and writing
 * into the imglib2 image writes into the ImagePlus.
 * <p>
 * A hyperstack is seen one (z, t) position at a time: its channels become the third dimension,
 * {@code [W, H, C]}. Z and T are for the caller to loop over. RGB (COLOR_RGB) images are one plane of
 * packed ARGB ints, {@code [W, H]}; {@link #rgbAsChannels} views them as three 8-bit channels.
 */
public final class ImagePlusImgs {

	private ImagePlusImgs() {}

	/** True for COLOR_RGB images. */
	public static boolean isRgb(ImagePlus imp) {
		return imp.getType() == ImagePlus.COLOR_RGB;
	}

	/**
	 * The channels of a gray image (8-, 16- or 32-bit) at one z and t (1-based, as in ImageJ), as a
	 * {@code [W, H, C]} image that shares the ImagePlus's pixel arrays.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static <T extends NativeType<T> & RealType<T>> PlanarImg<T, ?> channels(ImagePlus imp, int z, int t) {
		checkPosition(imp, z, t);
		if (isRgb(imp)) {
			throw new GenIJException("'" + imp.getTitle() + "' is an RGB image; it has no gray channels to wrap.");
		}
		int channels = imp.getNChannels();
		long[] dims = { imp.getWidth(), imp.getHeight(), channels };
		ImageStack stack = imp.getStack();
		List<Object> planes = new ArrayList<>(channels);
		for (int c = 1; c <= channels; c++) planes.add(stack.getPixels(imp.getStackIndex(c, z, t)));
		switch (imp.getBitDepth()) {
			case 8: {
				List<ByteArray> a = new ArrayList<>();
				for (Object p : planes) a.add(new ByteArray((byte[]) p));
				PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(a, dims, new Fraction());
				img.setLinkedType(new UnsignedByteType(img));
				return (PlanarImg) img;
			}
			case 16: {
				List<ShortArray> a = new ArrayList<>();
				for (Object p : planes) a.add(new ShortArray((short[]) p));
				PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(a, dims, new Fraction());
				img.setLinkedType(new UnsignedShortType(img));
				return (PlanarImg) img;
			}
			case 32: {
				List<FloatArray> a = new ArrayList<>();
				for (Object p : planes) a.add(new FloatArray((float[]) p));
				PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(a, dims, new Fraction());
				img.setLinkedType(new FloatType(img));
				return (PlanarImg) img;
			}
			default:
				throw new GenIJException("'" + imp.getTitle() + "' has an image type GenIJ cannot read (" + imp.getBitDepth() +
					"-bit). Convert it to 8-bit, 16-bit, 32-bit or RGB.");
		}
	}

	/** An RGB image's plane at one z and t (1-based) as packed ARGB, sharing the pixel array. */
	public static ArrayImg<ARGBType, IntArray> rgb(ImagePlus imp, int z, int t) {
		checkPosition(imp, z, t);
		if (!isRgb(imp)) throw new GenIJException("'" + imp.getTitle() + "' is not an RGB image.");
		if (imp.getNChannels() != 1) {
			throw new GenIJException("'" + imp.getTitle() + "' is an RGB image with " + imp.getNChannels() +
				" channels. Split the channels or use Image > Color > Stack to RGB first.");
		}
		int[] pixels = (int[]) imp.getStack().getPixels(imp.getStackIndex(1, z, t));
		return ArrayImgs.argbs(pixels, imp.getWidth(), imp.getHeight());
	}

	/** An ARGB image seen as {@code [W, H, 3]} 8-bit R, G, B channels (a view: reads and writes pass through). */
	public static RandomAccessibleInterval<UnsignedByteType> rgbAsChannels(RandomAccessibleInterval<ARGBType> argb) {
		return Converters.argbChannels(argb, 1, 2, 3);
	}

	/** Any supported image at one z and t as {@code [W, H, C]} real values (RGB as three 8-bit channels). */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static RandomAccessibleInterval<? extends RealType<?>> asChannels(ImagePlus imp, int z, int t) {
		if (isRgb(imp)) return rgbAsChannels(rgb(imp, z, t));
		return (RandomAccessibleInterval) channels(imp, z, t);
	}

	/**
	 * Every plane of a gray image as one {@code [W, H, N]} image over the ImagePlus's arrays, for statistics
	 * over the whole stack (channels, slices and frames alike).
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static RandomAccessibleInterval<? extends RealType<?>> allPlanes(ImagePlus imp) {
		if (isRgb(imp)) throw new GenIJException("'" + imp.getTitle() + "' is RGB; it has no gray planes.");
		ImagePlus flat = new ImagePlus(imp.getTitle(), imp.getStack());
		flat.setDimensions(imp.getStackSize(), 1, 1);
		return (RandomAccessibleInterval) channels(flat, 1, 1);
	}

	/** How many channels {@link #asChannels} gives. */
	public static int channelCount(ImagePlus imp) {
		return isRgb(imp) ? 3 : imp.getNChannels();
	}

	private static void checkPosition(ImagePlus imp, int z, int t) {
		if (z < 1 || z > imp.getNSlices() || t < 1 || t > imp.getNFrames()) {
			throw new IllegalArgumentException("no position z=" + z + ", t=" + t + " in '" + imp.getTitle() + "' (" +
				imp.getNSlices() + " slices, " + imp.getNFrames() + " frames)");
		}
	}
}
