package io.github.genij.core.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

class TiledRunnerTest {

	private static NDManager weights;
	private static ImageNetwork network;
	/** Receptive-field radius of {@link #network}: 3x3 conv, 2x2 pool, 3x3 conv at half size, x2 up, 3x3 conv. */
	private static final int RADIUS = 1 + 1 + 2 * 1 + 1 + 1;

	@BeforeAll
	static void buildNetwork() {
		weights = GenIJEngine.get().newBaseManager();
		Random r = new Random(3);
		NDArray w1 = randomArray(r, new Shape(4, 3, 3, 3)), w2 = randomArray(r, new Shape(4, 4, 3, 3)),
			w3 = randomArray(r, new Shape(2, 4, 3, 3));
		Shape one = new Shape(1, 1), pad = new Shape(1, 1);
		network = x -> {
			NDArray y = Conv2d.conv2d(x, w1, null, one, pad, one).get(0).tanh();
			y = Pool.avgPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
			y = Conv2d.conv2d(y, w2, null, one, pad, one).get(0).tanh();
			y = y.repeat(2, 2).repeat(3, 2);
			return Conv2d.conv2d(y, w3, null, one, pad, one).get(0);
		};
	}

	private static NDArray randomArray(Random r, Shape shape) {
		float[] v = new float[(int) shape.size()];
		for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 0.4);
		return weights.create(v, shape);
	}

	@AfterAll
	static void free() {
		weights.close();
	}

	private static ArrayImg<UnsignedByteType, ByteArray> randomImage(int w, int h) {
		ArrayImg<UnsignedByteType, ByteArray> img = ArrayImgs.unsignedBytes(w, h, 3);
		Random r = new Random(w * 31 + h);
		for (UnsignedByteType t : img) t.set(r.nextInt(256));
		return img;
	}

	private static float[] run(ImageNetwork net, ArrayImg<UnsignedByteType, ByteArray> img, TileSpec spec,
		Progress progress, NDManager manager)
	{
		ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(img.dimension(0), img.dimension(1), 2);
		ChannelMapping in = ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 3);
		new TiledRunner(net, spec, progress).run(img, in, out, ChannelMapping.identity(2), manager);
		return out.update(null).getCurrentStorageArray();
	}

	private static void assertClose(float[] expected, float[] actual, float tolerance) {
		assertEquals(expected.length, actual.length);
		float worst = 0;
		for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
		assertTrue(worst <= tolerance, "largest difference " + worst);
	}

	@Test
	void tiledOutputEqualsWholeImageOutput() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			ArrayImg<UnsignedByteType, ByteArray> img = randomImage(150, 97);
			float[] whole = run(network, img, new TileSpec(4096, RADIUS, 0, 2), Progress.NONE, m);
			AtomicInteger tiles = new AtomicInteger();
			Progress counting = new Recorder() {
				@Override public void progress(long done, long total) { tiles.set((int) total); }
			};
			float[] tiled = run(network, img, new TileSpec(40, RADIUS, 6, 2), counting, m);
			assertTrue(tiles.get() > 9, "the image was really cut into tiles: " + tiles.get());
			assertClose(whole, tiled, 1e-5f);
			// a halo smaller than the receptive field shows: the test can fail
			float[] starved = run(network, img, new TileSpec(40, 1, 0, 2), Progress.NONE, m);
			float worst = 0;
			for (int i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i] - starved[i]));
			assertTrue(worst > 1e-3f, "without enough halo, seams appear: " + worst);
		}
	}

	@Test
	void bandsHandOverEveryRowOnceWithTheValuesOfTheWholeResult() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			for (int[] size : new int[][] { { 150, 97 }, { 61, 203 }, { 90, 40 } }) {
				ArrayImg<UnsignedByteType, ByteArray> img = randomImage(size[0], size[1]);
				for (TileSpec spec : new TileSpec[] { new TileSpec(40, RADIUS, 6, 2), new TileSpec(64, RADIUS, 0, 2),
					new TileSpec(4096, RADIUS, 0, 2) })
				{
					float[] whole = run(network, img, spec, Progress.NONE, m);
					int w = size[0], h = size[1];
					float[] banded = new float[whole.length];
					int[] handed = new int[h];
					ChannelMapping in = ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 3);
					new TiledRunner(network, spec, Progress.NONE).runInBands(img, in, ChannelMapping.identity(2), (rows, first) -> {
						net.imglib2.RandomAccess<FloatType> ra = rows.randomAccess();
						for (int c = 0; c < 2; c++)
							for (int y = 0; y < rows.dimension(1); y++) {
								handed[first + y] += c == 0 ? 1 : 0;
								for (int x = 0; x < w; x++) {
									ra.setPosition(new long[] { x, y, c });
									banded[(c * h + first + y) * w + x] = ra.get().get();
								}
							}
					}, m);
					for (int y = 0; y < h; y++) assertEquals(1, handed[y], "row " + y + " of " + w + "x" + h + " handed over once");
					assertClose(whole, banded, 0f);
				}
			}
		}
	}

	@Test
	void sidesThatAreNoMultipleArePaddedAndCroppedBack() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			// 8 is the multiple: 61x45 is padded to 64x48 by mirroring, and the result cropped to 61x45
			ArrayImg<UnsignedByteType, ByteArray> img = randomImage(61, 45);
			List<Shape> seen = new ArrayList<>();
			ImageNetwork spy = x -> {
				seen.add(x.getShape());
				return network.apply(x);
			};
			float[] whole = run(spy, img, new TileSpec(1000, 8, 0, 8), Progress.NONE, m);
			assertEquals(new Shape(1, 3, 48, 64), seen.get(0));
			float[] tiled = run(spy, img, new TileSpec(32, 8, 4, 8), Progress.NONE, m);
			for (Shape s : seen) assertTrue(s.get(2) % 8 == 0 && s.get(3) % 8 == 0, s.toString());
			assertClose(whole, tiled, 1e-5f);
		}
	}

	@Test
	void anInjectedOutOfMemoryShrinksTheTilesAndStillFinishes() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			ArrayImg<UnsignedByteType, ByteArray> img = randomImage(130, 70);
			float[] whole = run(network, img, new TileSpec(4096, RADIUS, 4, 2), Progress.NONE, m);
			// the "device" holds at most 48x48 pixels; CPU and CUDA failures look different
			ImageNetwork heapLimited = x -> {
				if (x.getShape().get(2) * x.getShape().get(3) > 48 * 48) throw new OutOfMemoryError("Java heap space");
				return network.apply(x);
			};
			ImageNetwork cudaLimited = x -> {
				if (x.getShape().get(2) * x.getShape().get(3) > 48 * 48)
					throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
				return network.apply(x);
			};
			for (ImageNetwork limited : new ImageNetwork[] { heapLimited, cudaLimited }) {
				Recorder log = new Recorder();
				ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(130, 70, 2);
				TiledRunner runner = new TiledRunner(limited, new TileSpec(512, RADIUS, 4, 2), log);
				runner.run(img, ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 3), out, ChannelMapping.identity(2), m);
				assertTrue(runner.spec().tileSize <= 48, "tiles shrank to " + runner.spec().tileSize);
				assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("Out of memory with tiles of")), log.lines.toString());
				assertClose(whole, out.update(null).getCurrentStorageArray(), 1e-5f);
			}
		}
	}

	@Test
	void memoryThatNeverSufficesEndsWithAClearMessage() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			ImageNetwork hopeless = x -> { throw new OutOfMemoryError("Direct buffer memory"); };
			GenIJException e = assertThrows(GenIJException.class,
				() -> run(hopeless, randomImage(300, 300), new TileSpec(256, RADIUS, 4, 2), Progress.NONE, m));
			assertTrue(e.getMessage().startsWith("Out of memory even with tiles of"), e.getMessage());
			// other failures are not mistaken for memory trouble
			ImageNetwork broken = x -> { throw new EngineException("shape mismatch"); };
			assertThrows(EngineException.class,
				() -> run(broken, randomImage(30, 30), new TileSpec(256, RADIUS, 4, 2), Progress.NONE, m));
		}
	}

	@Test
	void cancelStopsBetweenTilesAndFreesTheTiles() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			AtomicInteger ran = new AtomicInteger();
			ImageNetwork counting = x -> {
				ran.incrementAndGet();
				return network.apply(x);
			};
			Recorder cancelAfterTwo = new Recorder() {
				@Override public boolean isCancelled() { return ran.get() >= 2; }
			};
			assertThrows(CancelledException.class,
				() -> run(counting, randomImage(200, 200), new TileSpec(40, RADIUS, 4, 2), cancelAfterTwo, m));
			assertEquals(2, ran.get());
			assertEquals(0, m.getManagedArrays().size(), "every tile's arrays were closed");
		}
	}

	@Test
	void layoutWeightsAddUpToOneAndIgnoreTheHalo() {
		Random r = new Random(11);
		for (int trial = 0; trial < 500; trial++) {
			int multiple = 1 << r.nextInt(5), halo = r.nextInt(20), blend = r.nextInt(20);
			int length = 1 + r.nextInt(700), tile = 1 + r.nextInt(300);
			TileSpec spec = new TileSpec(tile, halo, blend, multiple);
			AxisLayout a = new AxisLayout(length, spec);
			String where = "length " + length + ", " + spec;
			assertEquals(0, a.window % multiple, where);
			double[] sum = new double[length];
			for (int i = 0; i < a.count(); i++) {
				assertEquals(0, a.starts[i] % multiple, where);
				assertTrue(a.starts[i] + a.window <= a.padded, where);
				for (int k = 0; k < a.window; k++) {
					int x = a.starts[i] + k;
					if (x < length) sum[x] += a.weights[i][k];
					boolean innerHalo = (i > 0 && k < halo) || (i < a.count() - 1 && k >= a.window - halo);
					if (innerHalo) assertEquals(0f, a.weights[i][k], where);
				}
			}
			for (int x = 0; x < length; x++) assertEquals(1.0, sum[x], 1e-5, where + " at " + x);
		}
	}

	/** Records log lines; never cancels unless a subclass says so. */
	static class Recorder implements Progress {
		final List<String> lines = new ArrayList<>();
		@Override public void status(String message) {}
		@Override public void progress(long done, long total) {}
		@Override public void log(String message) { lines.add(message); }
		@Override public boolean isCancelled() { return false; }
	}
}
