package io.github.genij.core.tensor;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.UUID;
import java.util.function.Consumer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * imglib2 images to float32 NCHW tensors and back.
 * <p>
 * An image is {@code [W, H]} or {@code [W, H, C]} (imglib2 order, x fastest); its tensor is
 * {@code [1, C, H, W]}. Both share one memory order, so conversion is a straight walk with the value
 * mapping applied, no transposition. Images whose pixels sit in primitive arrays ({@code ArrayImg},
 * {@code PlanarImg}: what ImageJ's own images wrap to) are read and written array to array; anything
 * else goes through a cursor. Integer targets are rounded and clamped to their type's range.
 * <p>
 * On the CPU the tensor aliases a pooled direct buffer (no second copy): the tensor must not outlive
 * the manager it was made in; the buffer returns to the pool when that manager closes.
 */
public final class ImageTensors {

	/** Values converted per bulk buffer transfer: big enough to amortise, small enough for the cache. */
	private static final int CHUNK = 1 << 14;
	private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

	private ImageTensors() {}

	/** A {@code [W,H]} or {@code [W,H,C]} real-valued image as a {@code [1,C,H,W]} float32 tensor. */
	public static NDArray toTensor(RandomAccessibleInterval<? extends RealType<?>> image, ChannelMapping map,
		NDManager manager)
	{
		ImageShape s = ImageShape.of(image, map.channels());
		ByteBuffer buffer = leaseFor(s);
		FloatBuffer out = buffer.asFloatBuffer();
		PixelArrays arrays = PixelArrays.of(image, s.channels);
		for (int c = 0; c < s.channels; c++) {
			int base = map.tensorChannel(c) * s.plane;
			if (arrays != null) writeChannel(arrays, c, s.plane, map.scale(c), map.offset(c), out, base);
		}
		if (arrays == null) writeGeneric(image, map, s, out);
		return wrap(buffer, s, manager);
	}

	/** An ARGB image ({@code [W,H]}) as a {@code [1,3,H,W]} float32 tensor in R, G, B order (before the map). */
	public static NDArray rgbToTensor(RandomAccessibleInterval<ARGBType> image, ChannelMapping map, NDManager manager) {
		if (image.numDimensions() != 2)
			throw new GenIJException("An RGB image must be one plane; got " + image.numDimensions() + " dimensions.");
		if (map.channels() != 3) throw new IllegalArgumentException("RGB needs a 3-channel mapping");
		ImageShape s = new ImageShape(image.dimension(0), image.dimension(1), 3);
		ByteBuffer buffer = leaseFor(s);
		FloatBuffer out = buffer.asFloatBuffer();
		int[] argb = PixelArrays.argbArray(image);
		float[] scratch = SCRATCH.get();
		for (int c = 0; c < 3; c++) {
			int shift = 16 - 8 * c, base = map.tensorChannel(c) * s.plane;
			float a = map.scale(c), b = map.offset(c);
			if (argb != null) {
				for (int start = 0; start < s.plane; start += CHUNK) {
					int n = Math.min(CHUNK, s.plane - start);
					for (int i = 0; i < n; i++) scratch[i] = ((argb[start + i] >>> shift) & 0xff) * a + b;
					out.position(base + start);
					out.put(scratch, 0, n);
				}
			}
			else {
				int i = 0;
				out.position(base);
				for (ARGBType t : Views.flatIterable(image)) {
					scratch[i++] = ((t.get() >>> shift) & 0xff) * a + b;
					if (i == CHUNK) {
						out.put(scratch, 0, i);
						i = 0;
					}
				}
				out.put(scratch, 0, i);
			}
		}
		return wrap(buffer, s, manager);
	}

	/**
	 * Writes a {@code [1,C,H,W]}, {@code [C,H,W]} or {@code [H,W]} tensor into a {@code [W,H]} or
	 * {@code [W,H,C]} image of the same size, mapping values with {@code map} (usually the inverse of the
	 * input's mapping).
	 */
	public static void toImage(NDArray tensor, ChannelMapping map, RandomAccessibleInterval<? extends RealType<?>> target) {
		ImageShape s = ImageShape.of(target, map.channels());
		checkTensorShape(tensor, s);
		withFloats(tensor, in -> {
			PixelArrays arrays = PixelArrays.of(target, s.channels);
			if (arrays != null) {
				for (int c = 0; c < s.channels; c++)
					readChannel(in, map.tensorChannel(c) * s.plane, s.plane, map.scale(c), map.offset(c), arrays, c);
			}
			else readGeneric(in, map, s, target);
		});
	}

	/** Writes a 3-channel tensor into an ARGB image (values rounded and clamped to 0..255, alpha opaque). */
	public static void toRgbImage(NDArray tensor, ChannelMapping map, RandomAccessibleInterval<ARGBType> target) {
		ImageShape s = new ImageShape(target.dimension(0), target.dimension(1), 3);
		checkTensorShape(tensor, s);
		withFloats(tensor, in -> {
			int[] argb = PixelArrays.argbArray(target);
			if (argb != null) {
				float[] scratch = SCRATCH.get();
				java.util.Arrays.fill(argb, 0xff000000);
				for (int c = 0; c < 3; c++) {
					int shift = 16 - 8 * c, base = map.tensorChannel(c) * s.plane;
					float a = map.scale(c), b = map.offset(c);
					for (int start = 0; start < s.plane; start += CHUNK) {
						int n = Math.min(CHUNK, s.plane - start);
						in.position(base + start);
						in.get(scratch, 0, n);
						for (int i = 0; i < n; i++) argb[start + i] |= toByte(scratch[i] * a + b) << shift;
					}
				}
			}
			else {
				Cursor<ARGBType> cursor = Views.flatIterable(target).cursor();
				int i = 0;
				while (cursor.hasNext()) {
					int v = 0xff000000;
					for (int c = 0; c < 3; c++)
						v |= toByte(in.get(map.tensorChannel(c) * s.plane + i) * map.scale(c) + map.offset(c)) << (16 - 8 * c);
					cursor.next().set(v);
					i++;
				}
			}
		});
	}

	/**
	 * Hands {@code action} the tensor's values as a float buffer in C order. On the CPU this is the
	 * tensor's own memory (no copy); a GPU tensor or another data type is copied once, then freed.
	 */
	public static void withFloats(NDArray tensor, Consumer<FloatBuffer> action) {
		NDArray cpu = tensor;
		boolean temporary = false;
		if (!tensor.getDevice().equals(Device.cpu()) || tensor.getDataType() != DataType.FLOAT32) {
			cpu = tensor.toDevice(Device.cpu(), true).toType(DataType.FLOAT32, false);
			temporary = true;
		}
		try {
			action.accept(cpu.toByteBuffer(true).asFloatBuffer());
		}
		finally {
			if (temporary) cpu.close();
		}
	}

	static int toByte(float v) {
		return v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f);
	}

	private static ByteBuffer leaseFor(ImageShape s) {
		long bytes = s.size() * Float.BYTES;
		if (bytes > Integer.MAX_VALUE) {
			throw new GenIJException("An image of " + s + " is too large for one tensor (2 GB at most). " +
				"Run it tiled (the command's ntiles or tilesize setting), or crop it.");
		}
		return DirectBufferPool.shared().lease((int) bytes);
	}

	private static NDArray wrap(ByteBuffer buffer, ImageShape s, NDManager manager) {
		NDArray tensor = manager.create(buffer, new Shape(1, s.channels, s.height, s.width), DataType.FLOAT32);
		if (manager.getDevice().equals(Device.cpu())) {
			// The tensor aliases the buffer: give it back only once the tensor's manager is closed.
			manager.attachInternal("genij-buffer-" + UUID.randomUUID(), () -> DirectBufferPool.shared().giveBack(buffer));
		}
		else {
			// Device tensors hold their own copy already.
			DirectBufferPool.shared().giveBack(buffer);
		}
		return tensor;
	}

	private static void checkTensorShape(NDArray tensor, ImageShape s) {
		Shape shape = tensor.getShape();
		long[] d = shape.getShape();
		int n = d.length;
		boolean ok = n >= 2 && d[n - 1] == s.width && d[n - 2] == s.height;
		long channels = n >= 3 ? d[n - 3] : 1;
		for (int i = 0; i < n - 3; i++) ok &= d[i] == 1;
		if (!ok || channels != s.channels) {
			throw new IllegalArgumentException("tensor of shape " + shape + " does not fit an image of " + s);
		}
	}

	private static void writeChannel(PixelArrays arrays, int c, int plane, float a, float b, FloatBuffer out, int base) {
		Object data = arrays.array(c);
		int off = arrays.offset(c);
		out.position(base);
		if (data instanceof float[] && a == 1f && b == 0f) {
			out.put((float[]) data, off, plane);
			return;
		}
		float[] scratch = SCRATCH.get();
		for (int start = 0; start < plane; start += CHUNK) {
			int n = Math.min(CHUNK, plane - start), o = off + start;
			switch (arrays.kind) {
				case FLOAT: {
					float[] f = (float[]) data;
					for (int i = 0; i < n; i++) scratch[i] = f[o + i] * a + b;
					break;
				}
				case UNSIGNED_BYTE: {
					byte[] v = (byte[]) data;
					for (int i = 0; i < n; i++) scratch[i] = (v[o + i] & 0xff) * a + b;
					break;
				}
				case BYTE: {
					byte[] v = (byte[]) data;
					for (int i = 0; i < n; i++) scratch[i] = v[o + i] * a + b;
					break;
				}
				case UNSIGNED_SHORT: {
					short[] v = (short[]) data;
					for (int i = 0; i < n; i++) scratch[i] = (v[o + i] & 0xffff) * a + b;
					break;
				}
				case SHORT: {
					short[] v = (short[]) data;
					for (int i = 0; i < n; i++) scratch[i] = v[o + i] * a + b;
					break;
				}
			}
			out.put(scratch, 0, n);
		}
	}

	private static void readChannel(FloatBuffer in, int base, int plane, float a, float b, PixelArrays arrays, int c) {
		Object data = arrays.array(c);
		int off = arrays.offset(c);
		in.position(base);
		if (data instanceof float[] && a == 1f && b == 0f) {
			in.get((float[]) data, off, plane);
			return;
		}
		float[] scratch = SCRATCH.get();
		for (int start = 0; start < plane; start += CHUNK) {
			int n = Math.min(CHUNK, plane - start), o = off + start;
			in.get(scratch, 0, n);
			switch (arrays.kind) {
				case FLOAT: {
					float[] f = (float[]) data;
					for (int i = 0; i < n; i++) f[o + i] = scratch[i] * a + b;
					break;
				}
				case UNSIGNED_BYTE: {
					byte[] v = (byte[]) data;
					for (int i = 0; i < n; i++) v[o + i] = (byte) toByte(scratch[i] * a + b);
					break;
				}
				case BYTE: {
					byte[] v = (byte[]) data;
					for (int i = 0; i < n; i++) v[o + i] = (byte) clampRound(scratch[i] * a + b, -128, 127);
					break;
				}
				case UNSIGNED_SHORT: {
					short[] v = (short[]) data;
					for (int i = 0; i < n; i++) v[o + i] = (short) clampRound(scratch[i] * a + b, 0, 65535);
					break;
				}
				case SHORT: {
					short[] v = (short[]) data;
					for (int i = 0; i < n; i++) v[o + i] = (short) clampRound(scratch[i] * a + b, -32768, 32767);
					break;
				}
			}
		}
	}

	private static int clampRound(float v, int min, int max) {
		if (!(v > min)) return min; // NaN goes to min too
		if (v >= max) return max;
		return (int) Math.floor(v + 0.5f);
	}

	private static void writeGeneric(RandomAccessibleInterval<? extends RealType<?>> image, ChannelMapping map,
		ImageShape s, FloatBuffer out)
	{
		float[] scratch = SCRATCH.get();
		Cursor<? extends RealType<?>> cursor = Views.flatIterable(image).cursor();
		for (int c = 0; c < s.channels; c++) {
			float a = map.scale(c), b = map.offset(c);
			out.position(map.tensorChannel(c) * s.plane);
			for (int start = 0; start < s.plane; start += CHUNK) {
				int n = Math.min(CHUNK, s.plane - start);
				for (int i = 0; i < n; i++) scratch[i] = cursor.next().getRealFloat() * a + b;
				out.put(scratch, 0, n);
			}
		}
	}

	private static void readGeneric(FloatBuffer in, ChannelMapping map, ImageShape s,
		RandomAccessibleInterval<? extends RealType<?>> target)
	{
		Cursor<? extends RealType<?>> cursor = Views.flatIterable(target).cursor();
		RealType<?> type = target.getType();
		boolean integer = type instanceof IntegerType;
		double min = type.getMinValue(), max = type.getMaxValue();
		for (int c = 0; c < s.channels; c++) {
			float a = map.scale(c), b = map.offset(c);
			int base = map.tensorChannel(c) * s.plane;
			for (int i = 0; i < s.plane; i++) {
				double v = in.get(base + i) * a + b;
				if (integer) v = Math.floor(Math.max(min, Math.min(max, v)) + 0.5);
				cursor.next().setReal(v);
			}
		}
	}

	/** Width, height and channels of an image as the tensor sees it. */
	static final class ImageShape {
		final int width, height, channels, plane;

		ImageShape(long width, long height, long channels) {
			if (width * height > Integer.MAX_VALUE)
				throw new GenIJException("An image plane of " + width + "x" + height + " is too large for one tensor; run it tiled.");
			this.width = (int) width;
			this.height = (int) height;
			this.channels = (int) channels;
			this.plane = (int) (width * height);
		}

		static ImageShape of(RandomAccessibleInterval<?> image, int mappedChannels) {
			int n = image.numDimensions();
			if (n != 2 && n != 3)
				throw new IllegalArgumentException("expected a [W,H] or [W,H,C] image, got " + n + " dimensions");
			long channels = n == 3 ? image.dimension(2) : 1;
			if (channels != mappedChannels)
				throw new IllegalArgumentException("image has " + channels + " channels, mapping has " + mappedChannels);
			if (Intervals.numElements(image) == 0) throw new GenIJException("The image is empty.");
			return new ImageShape(image.dimension(0), image.dimension(1), channels);
		}

		long size() {
			return (long) plane * channels;
		}

		@Override
		public String toString() {
			return width + "x" + height + (channels > 1 ? "x" + channels + " channels" : "");
		}
	}
}
