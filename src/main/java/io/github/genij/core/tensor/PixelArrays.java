package io.github.genij.core.tensor;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The primitive arrays behind an {@code ArrayImg} or {@code PlanarImg}, one per channel, when the
 * image is one of those (not a view of one) and of a type the fast paths know. Otherwise
 * {@link #of} answers null and callers walk a cursor. Used by the fast paths of the tensor bridge and
 * of tiling.
 */
public final class PixelArrays {

	public enum Kind { FLOAT, UNSIGNED_BYTE, BYTE, UNSIGNED_SHORT, SHORT }

	public final Kind kind;
	private final Object[] arrays;
	private final int[] offsets;

	private PixelArrays(Kind kind, Object[] arrays, int[] offsets) {
		this.kind = kind;
		this.arrays = arrays;
		this.offsets = offsets;
	}

	public Object array(int channel) {
		return arrays[channel];
	}

	public int offset(int channel) {
		return offsets[channel];
	}

	public static PixelArrays of(RandomAccessibleInterval<?> image, int channels) {
		Kind kind = kindOf(image.getType());
		if (kind == null) return null;
		Object[] arrays = planes(image, channels);
		if (arrays == null) return null;
		int[] offsets = new int[channels];
		if (arrays.length == 1 && channels > 1) {
			// An ArrayImg holds all channels in one array, one plane after another.
			int plane = (int) (image.dimension(0) * image.dimension(1));
			Object single = arrays[0];
			arrays = new Object[channels];
			for (int c = 0; c < channels; c++) {
				arrays[c] = single;
				offsets[c] = c * plane;
			}
		}
		return new PixelArrays(kind, arrays, offsets);
	}

	/** The int[] behind a plain ARGB ArrayImg or single-plane PlanarImg, else null. */
	static int[] argbArray(RandomAccessibleInterval<ARGBType> image) {
		Object[] planes = planes(image, 1);
		return planes != null && planes[0] instanceof int[] ? (int[]) planes[0] : null;
	}

	private static Object[] planes(RandomAccessibleInterval<?> image, int channels) {
		if (image instanceof ArrayImg) {
			Object access = ((ArrayImg<?, ?>) image).update(null);
			if (!(access instanceof ArrayDataAccess)) return null;
			return new Object[] { ((ArrayDataAccess<?>) access).getCurrentStorageArray() };
		}
		if (image instanceof PlanarImg) {
			PlanarImg<?, ?> planar = (PlanarImg<?, ?>) image;
			if (planar.numSlices() != channels) return null;
			Object[] arrays = new Object[channels];
			for (int c = 0; c < channels; c++) {
				Object access = planar.getPlane(c);
				if (!(access instanceof ArrayDataAccess)) return null;
				arrays[c] = ((ArrayDataAccess<?>) access).getCurrentStorageArray();
			}
			return arrays;
		}
		return null;
	}

	private static Kind kindOf(Object type) {
		// Exact classes only: a subclass may store its values differently.
		Class<?> c = type.getClass();
		if (c == FloatType.class) return Kind.FLOAT;
		if (c == UnsignedByteType.class) return Kind.UNSIGNED_BYTE;
		if (c == ByteType.class) return Kind.BYTE;
		if (c == UnsignedShortType.class) return Kind.UNSIGNED_SHORT;
		if (c == ShortType.class) return Kind.SHORT;
		return null;
	}
}
