package io.github.genij.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ImageTensorsTest {

	private static NDManager manager;
	private final Random random = new Random(42);

	@BeforeAll
	static void start() {
		manager = GenIJEngine.get().newBaseManager();
	}

	@AfterAll
	static void stop() {
		manager.close();
	}

	/** Element (c, y, x) of a [1,C,H,W] tensor, read independently of the bridge. */
	private static float at(float[] t, int c, int y, int x, int w, int h) {
		return t[(c * h + y) * w + x];
	}

	@Test
	void unsignedBytePlanesKeepLayoutAndValues() {
		int w = 7, h = 5, ch = 3;
		PlanarImg<UnsignedByteType, ByteArray> img = PlanarImgs.unsignedBytes(w, h, ch);
		for (UnsignedByteType t : img) t.set(random.nextInt(256));
		try (NDManager m = manager.newSubManager()) {
			NDArray t = ImageTensors.toTensor(img, ChannelMapping.identity(ch), m);
			assertEquals(new Shape(1, ch, h, w), t.getShape());
			float[] v = t.toFloatArray();
			net.imglib2.RandomAccess<UnsignedByteType> ra = img.randomAccess();
			for (int c = 0; c < ch; c++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						assertEquals(ra.setPositionAndGet(x, y, c).get(), at(v, c, y, x, w, h), 0f);
			PlanarImg<UnsignedByteType, ByteArray> back = PlanarImgs.unsignedBytes(w, h, ch);
			ImageTensors.toImage(t, ChannelMapping.identity(ch), back);
			assertImagesEqual(img, back);
		}
	}

	@Test
	void everyTypeRoundTripsExactlyThroughAPreset() {
		int w = 33, h = 17;
		ArrayImg<UnsignedByteType, ByteArray> u8 = ArrayImgs.unsignedBytes(w, h);
		ArrayImg<UnsignedShortType, ShortArray> u16 = ArrayImgs.unsignedShorts(w, h, 2);
		ArrayImg<FloatType, FloatArray> f32 = ArrayImgs.floats(w, h, 3);
		ArrayImg<ByteType, ByteArray> s8 = ArrayImgs.bytes(w, h);
		for (UnsignedByteType t : u8) t.set(random.nextInt(256));
		for (UnsignedShortType t : u16) t.set(random.nextInt(65536));
		for (FloatType t : f32) t.set(random.nextFloat() * 1000 - 500);
		for (ByteType t : s8) t.set((byte) random.nextInt(256));
		roundTrip(u8, ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 1), ArrayImgs.unsignedBytes(w, h));
		roundTrip(u16, ValuePreset.UNIT.mapping(ValueRange.UNSIGNED_SHORT, 2), ArrayImgs.unsignedShorts(w, h, 2));
		roundTrip(f32, ChannelMapping.identity(3), ArrayImgs.floats(w, h, 3));
		roundTrip(s8, ChannelMapping.uniform(1, 0.5f, 3f), ArrayImgs.bytes(w, h));
		// a view is no ArrayImg: the cursor path must agree with the array path
		roundTrip(Views.interval(u16, u16), ValuePreset.SYMMETRIC.mapping(ValueRange.UNSIGNED_SHORT, 2),
			ArrayImgs.unsignedShorts(w, h, 2));
		roundTrip(u8, ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 1), Views.interval(ArrayImgs.unsignedBytes(w, h),
			u8));
	}

	private <S extends RealType<S>, T extends RealType<T>> void roundTrip(RandomAccessibleInterval<S> in,
		ChannelMapping map, RandomAccessibleInterval<T> out)
	{
		try (NDManager m = manager.newSubManager()) {
			NDArray t = ImageTensors.toTensor(in, map, m);
			// the tensor values are the mapping applied, channel by channel
			float[] v = t.toFloatArray();
			int w = (int) in.dimension(0), h = (int) in.dimension(1);
			net.imglib2.RandomAccess<S> ra = in.randomAccess();
			for (int c = 0; c < map.channels(); c++)
				for (int y = 0; y < h; y += 3)
					for (int x = 0; x < w; x += 4) {
						if (in.numDimensions() == 3) ra.setPosition(new long[] { x, y, c });
						else ra.setPosition(new long[] { x, y });
						double expected = map.scale(c) * ra.get().getRealDouble() + map.offset(c);
						assertEquals(expected, at(v, c, y, x, w, h), 1e-5 * Math.max(1, Math.abs(expected)));
					}
			ImageTensors.toImage(t, map.inverse(), out);
			assertImagesEqual(in, out);
		}
	}

	@Test
	void rgbGoesToThreeChannelsAndBackThroughCaffeBgr() {
		int w = 20, h = 11;
		ArrayImg<ARGBType, IntArray> rgb = ArrayImgs.argbs(w, h);
		for (ARGBType t : rgb) t.set(0xff000000 | random.nextInt(1 << 24));
		ChannelMapping map = ValuePreset.CAFFE_BGR.mapping(ValueRange.BYTE, 3);
		try (NDManager m = manager.newSubManager()) {
			NDArray t = ImageTensors.rgbToTensor(rgb, map, m);
			assertEquals(new Shape(1, 3, h, w), t.getShape());
			float[] v = t.toFloatArray();
			int p = rgb.randomAccess().setPositionAndGet(3, 2).get();
			// tensor channel 0 is blue minus the blue mean, 2 is red minus the red mean
			assertEquals((p & 0xff) - 103.939f, at(v, 0, 2, 3, w, h), 1e-3f);
			assertEquals(((p >> 16) & 0xff) - 123.68f, at(v, 2, 2, 3, w, h), 1e-3f);
			ArrayImg<ARGBType, IntArray> back = ArrayImgs.argbs(w, h);
			ImageTensors.toRgbImage(t, map.inverse(), back);
			assertArrayEquals(rgb.update(null).getCurrentStorageArray(), back.update(null).getCurrentStorageArray());
			// and through a view, the cursor path
			Img<ARGBType> viaView = ArrayImgs.argbs(w, h);
			ImageTensors.toRgbImage(ImageTensors.rgbToTensor(Views.interval(rgb, rgb), map, m), map.inverse(),
				Views.interval(viaView, viaView));
			assertImagesEqualArgb(rgb, viaView);
		}
	}

	@Test
	void integerTargetsAreRoundedAndClamped() {
		try (NDManager m = manager.newSubManager()) {
			NDArray t = m.create(new float[] { -3f, 0.49f, 0.5f, 254.6f, 300f, Float.NaN }, new Shape(1, 1, 1, 6));
			ArrayImg<UnsignedByteType, ByteArray> out = ArrayImgs.unsignedBytes(6, 1);
			ImageTensors.toImage(t, ChannelMapping.identity(1), out);
			int[] got = new int[6];
			int i = 0;
			for (UnsignedByteType v : out) got[i++] = v.get();
			assertArrayEquals(new int[] { 0, 0, 1, 255, 255, 0 }, got);
		}
	}

	@Test
	void imagenetPresetMatchesTorchvisionFormula() {
		ChannelMapping map = ValuePreset.IMAGENET.mapping(ValueRange.BYTE, 3);
		// torchvision: (v/255 - mean) / std
		assertEquals((200 / 255f - 0.456f) / 0.224f, map.scale(1) * 200 + map.offset(1), 1e-5f);
		assertEquals(-1f, ValuePreset.SYMMETRIC.mapping(ValueRange.UNSIGNED_SHORT, 1).offset(0), 0f);
		GenIJException e = assertThrows(GenIJException.class, () -> ValuePreset.IMAGENET.mapping(ValueRange.BYTE, 1));
		assertTrue(e.getMessage().contains("RGB"), e.getMessage());
	}

	@Test
	void wrongSizesAreRefused() {
		try (NDManager m = manager.newSubManager()) {
			NDArray t = m.zeros(new Shape(1, 2, 4, 5));
			assertThrows(IllegalArgumentException.class,
				() -> ImageTensors.toImage(t, ChannelMapping.identity(2), ArrayImgs.floats(4, 5, 2)));
			assertThrows(IllegalArgumentException.class,
				() -> ImageTensors.toImage(t, ChannelMapping.identity(1), ArrayImgs.floats(5, 4)));
		}
	}

	@Test
	void cpuTensorsAliasAPooledBufferReturnedWhenTheirManagerCloses() {
		DirectBufferPool pool = DirectBufferPool.shared();
		pool.clear();
		ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(64, 64);
		try (NDManager m = manager.newSubManager()) {
			ImageTensors.toTensor(img, ChannelMapping.identity(1), m).toFloatArray();
			assertEquals(0, pool.keptCount(), "the buffer is lent while the tensor lives");
		}
		assertEquals(1, pool.keptCount(), "closing the manager gives the buffer back");
		try (NDManager m = manager.newSubManager()) {
			ImageTensors.toTensor(img, ChannelMapping.identity(1), m);
			assertEquals(0, pool.keptCount(), "the next conversion reuses it");
		}
	}

	private static <S extends RealType<S>, T extends RealType<T>> void assertImagesEqual(RandomAccessibleInterval<S> a,
		RandomAccessibleInterval<T> b)
	{
		net.imglib2.Cursor<S> ca = Views.flatIterable(a).cursor();
		net.imglib2.Cursor<T> cb = Views.flatIterable(b).cursor();
		while (ca.hasNext()) assertEquals(ca.next().getRealDouble(), cb.next().getRealDouble(), 0.0);
	}

	private static void assertImagesEqualArgb(RandomAccessibleInterval<ARGBType> a, RandomAccessibleInterval<ARGBType> b) {
		net.imglib2.Cursor<ARGBType> ca = Views.flatIterable(a).cursor();
		net.imglib2.Cursor<ARGBType> cb = Views.flatIterable(b).cursor();
		while (ca.hasNext()) assertEquals(ca.next().get(), cb.next().get());
	}
}
