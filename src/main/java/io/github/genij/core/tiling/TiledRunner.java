package io.github.genij.core.tiling;

import java.nio.FloatBuffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.PixelArrays;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Runs an {@link ImageNetwork} over an image of any size, window by window.
 * <p>
 * Each window reads its halo from the image (mirrored past the border), runs in its own NDManager
 * (freed before the next), and adds its weighted output straight into the float result. Windows are
 * laid out per axis by {@link AxisLayout}. If a window runs out of memory (Java heap, direct buffers,
 * or the engine's CPU or CUDA allocator), the result is cleared and the run starts again with windows
 * about half the area, down to the smallest the halo allows.
 * <p>
 * A {@link WholeImageNetwork} (one that needs statistics of the whole image) is first shown the windows
 * of the run, as often as it asks, and only then run for output.
 */
public final class TiledRunner {

	/** Each retry shrinks the window side by this factor, halving its area. */
	static final double SHRINK = Math.sqrt(0.5);

	private final ImageNetwork network;
	private final Progress progress;
	private TileSpec spec;

	public TiledRunner(ImageNetwork network, TileSpec spec, Progress progress) {
		this.network = network;
		this.spec = spec;
		this.progress = progress;
	}

	/** The spec of the last run, smaller than the one given if memory ran out. */
	public TileSpec spec() {
		return spec;
	}

	/**
	 * Fills {@code output} ({@code [W,H,C']}, zero-based, same W and H as {@code input}; its previous content
	 * is cleared) with the network's
	 * output for {@code input} ({@code [W,H]} or {@code [W,H,C]}), both through their value mappings.
	 */
	public void run(RandomAccessibleInterval<? extends RealType<?>> input, ChannelMapping inMap,
		RandomAccessibleInterval<FloatType> output, ChannelMapping outMap, NDManager manager)
	{
		int width = Math.toIntExact(input.dimension(0)), height = Math.toIntExact(input.dimension(1));
		if (output.dimension(0) != width || output.dimension(1) != height)
			throw new IllegalArgumentException("output is not the input's size");
		while (true) {
			for (FloatType v : Views.iterable(output)) v.setZero();
			try (NoGrad inference = NoGrad.enter()) {
				runOnce(input, inMap, output, outMap, manager, new AxisLayout(width, spec), new AxisLayout(height, spec), null);
				return;
			}
			catch (Throwable t) {
				if (!OutOfMemory.isOutOfMemory(t)) throw t;
				shrinkAfter(t);
			}
		}
	}

	/** Receives finished rows of a banded run: {@code rows} is {@code [W, n, C']}, its first row is image row {@code firstRow}. */
	public interface RowSink {
		void rows(RandomAccessibleInterval<FloatType> rows, int firstRow);
	}

	/**
	 * Like {@link #run}, but without an output-sized float result: windows are run row by row of windows,
	 * and each image row is handed to {@code sink} as soon as no later window can touch it. The float
	 * buffer is then one row of windows high, not the image's height: what makes 8-bit and RGB results of
	 * very large images affordable. After an out-of-memory retry, rows are handed over again.
	 */
	public void runInBands(RandomAccessibleInterval<? extends RealType<?>> input, ChannelMapping inMap, ChannelMapping outMap,
		RowSink sink, NDManager manager)
	{
		int width = Math.toIntExact(input.dimension(0)), height = Math.toIntExact(input.dimension(1));
		while (true) {
			try (NoGrad inference = NoGrad.enter()) {
				AxisLayout xs = new AxisLayout(width, spec), ys = new AxisLayout(height, spec);
				ArrayImg<FloatType, ?> band = ArrayImgs.floats(width, Math.min(ys.window, height), outMap.channels());
				runOnce(input, inMap, band, outMap, manager, xs, ys, sink);
				return;
			}
			catch (Throwable t) {
				if (!OutOfMemory.isOutOfMemory(t)) throw t;
				shrinkAfter(t);
			}
		}
	}

	private void shrinkAfter(Throwable t) {
		int tried = spec.tileSize; // runOnce recorded the window side that failed
		int smaller = TileSpec.roundDown((int) (tried * SHRINK), spec.multiple);
		if (smaller < spec.minimumWindow()) {
			throw new GenIJException("Out of memory even with tiles of " + tried + " px (the smallest this network's " +
				"context of " + spec.halo + " px allows). Close other images or programs, or run on another device " +
				"(device=cpu uses main memory).", t);
		}
		progress.log("Out of memory with tiles of " + tried + " px; trying again with " + smaller + " px.");
		spec = spec.withTileSize(smaller);
	}

	/**
	 * One pass over all windows. Without a sink, {@code output} is the whole result; with one, it is a band
	 * of rows that slides down the image, flushed to the sink row by row of windows.
	 */
	private void runOnce(RandomAccessibleInterval<? extends RealType<?>> input, ChannelMapping inMap,
		RandomAccessibleInterval<FloatType> output, ChannelMapping outMap, NDManager manager, AxisLayout xs,
		AxisLayout ys, RowSink sink)
	{
		// A tile narrower than the input is first made at the largest size the spec allows: shrink the
		// recorded size to the window actually used, so a retry really is smaller.
		spec = spec.withTileSize(Math.max(xs.window, ys.window));
		Windows windows = new Windows(input, inMap, xs, ys, manager);
		if (network instanceof WholeImageNetwork) ((WholeImageNetwork) network).gather(windows);
		Accumulator acc = new Accumulator(output);
		Band band = sink == null ? null : new Band(output, ys.length, sink);
		windows.each("Tile", (tx, ty, in) -> {
			if (band != null && tx == 0) acc.rowOffset = band.moveTo(ys.starts[ty]);
			NDArray out = network.apply(in);
			long[] shape = out.getShape().getShape();
			if (shape.length != 4 || shape[2] != ys.window || shape[3] != xs.window || shape[1] != outMap.channels())
				throw new IllegalStateException("network returned " + out.getShape() + " for a window of " +
					in.getShape() + "; expected " + outMap.channels() + " channels of the same size");
			ImageTensors.withFloats(out, buf -> acc.add(buf, xs, tx, ys, ty, outMap));
		});
		if (band != null) band.finish();
	}

	private interface WindowAction {
		void run(int tx, int ty, NDArray window);
	}

	/** The windows of one layout over the input, as tensors; also what a {@link WholeImageNetwork} walks. */
	private final class Windows implements WholeImageNetwork.Windows {
		private final RandomAccessible<? extends RealType<?>> extended;
		private final ChannelMapping inMap;
		private final AxisLayout xs, ys;
		private final int channelsIn;
		private final boolean hasChannels;
		private final NDManager manager;

		Windows(RandomAccessibleInterval<? extends RealType<?>> input, ChannelMapping inMap, AxisLayout xs, AxisLayout ys,
			NDManager manager)
		{
			this.extended = mirrored(input);
			this.inMap = inMap;
			this.xs = xs;
			this.ys = ys;
			this.hasChannels = input.numDimensions() == 3;
			this.channelsIn = hasChannels ? (int) input.dimension(2) : 1;
			this.manager = manager;
		}

		@Override
		public int count() {
			return xs.count() * ys.count();
		}

		@Override
		public void forEach(String stage, WholeImageNetwork.Visitor visitor) {
			each(stage + ": tile", (tx, ty, window) -> visitor.visit(window, new OwnedRegion(xs.ownedStart(tx), xs.ownedEnd(tx),
				ys.ownedStart(ty), ys.ownedEnd(ty))));
		}

		/**
		 * Runs {@code action} on every window, row of windows by row of windows (what a banded result relies
		 * on), each in its own manager, with cancel checks and progress ("{@code label} i of n").
		 */
		void each(String label, WindowAction action) {
			int done = 0;
			for (int ty = 0; ty < ys.count(); ty++)
				for (int tx = 0; tx < xs.count(); tx++) {
					progress.checkCancelled();
					progress.status(label + " " + (done + 1) + " of " + count());
					try (NDManager tile = manager.newSubManager()) {
						action.run(tx, ty, tensor(tx, ty, tile));
					}
					progress.progress(++done, count());
				}
		}

		/** Window (tx, ty) with its halo (mirrored past the border) as a {@code [1, C, h, w]} tensor of {@code tile}. */
		NDArray tensor(int tx, int ty, NDManager tile) {
			long[] min = hasChannels ? new long[] { xs.starts[tx], ys.starts[ty], 0 } : new long[] { xs.starts[tx], ys.starts[ty] };
			long[] max = hasChannels ? new long[] { min[0] + xs.window - 1, min[1] + ys.window - 1, channelsIn - 1 }
				: new long[] { min[0] + xs.window - 1, min[1] + ys.window - 1 };
			return ImageTensors.toTensor(Views.zeroMin(Views.interval(extended, min, max)), inMap, tile);
		}
	}

	/**
	 * The sliding float band of a banded run: rows {@code first .. first + rows - 1} of the image. Moving
	 * it down hands the rows it leaves behind to the sink (they are final: windows are visited in row
	 * order) and shifts the rest up.
	 */
	private static final class Band {
		private final RandomAccessibleInterval<FloatType> rows;
		private final float[] data;
		private final int width, capacity, channels, height;
		private final RowSink sink;
		private int first;

		Band(RandomAccessibleInterval<FloatType> rows, int height, RowSink sink) {
			this.rows = rows;
			this.width = (int) rows.dimension(0);
			this.capacity = (int) rows.dimension(1);
			this.channels = (int) rows.dimension(2);
			this.height = height;
			this.sink = sink;
			this.data = ((FloatArray) ((ArrayImg<?, ?>) rows).update(null)).getCurrentStorageArray();
			java.util.Arrays.fill(data, 0f);
		}

		/** Makes {@code start} the band's first row; returns it (the accumulator's row offset). */
		int moveTo(int start) {
			int leaving = Math.min(start - first, capacity);
			if (leaving <= 0) return first;
			emit(leaving);
			int plane = width * capacity, keep = capacity - leaving;
			for (int c = 0; c < channels; c++) {
				System.arraycopy(data, c * plane + leaving * width, data, c * plane, keep * width);
				java.util.Arrays.fill(data, c * plane + keep * width, (c + 1) * plane, 0f);
			}
			first = start;
			return first;
		}

		void finish() {
			emit(Math.min(capacity, height - first));
		}

		private void emit(int n) {
			if (n > 0) sink.rows(Views.zeroMin(Views.interval(rows, new long[] { 0, 0, 0 }, new long[] { width - 1, n - 1, channels - 1 })),
				first);
		}
	}

	private static <T extends RealType<?>> RandomAccessible<T> mirrored(RandomAccessibleInterval<T> input) {
		// Mirroring needs two pixels to reflect; a one-pixel-wide image repeats its border instead.
		boolean thin = input.dimension(0) < 2 || input.dimension(1) < 2;
		return thin ? Views.extendBorder(input) : Views.extendMirrorSingle(input);
	}

	/** Adds weighted window outputs into the float result, array to array when the result is array-backed. */
	private static final class Accumulator {
		private final RandomAccessibleInterval<FloatType> output;
		private final PixelArrays arrays;
		private final int width;
		/** Image row of the output's row 0 (non-zero when the output is a band). */
		int rowOffset;

		Accumulator(RandomAccessibleInterval<FloatType> output) {
			this.output = output;
			this.width = (int) output.dimension(0);
			int channels = output.numDimensions() == 3 ? (int) output.dimension(2) : 1;
			PixelArrays a = PixelArrays.of(output, channels);
			this.arrays = a != null && a.kind == PixelArrays.Kind.FLOAT ? a : null;
		}

		void add(FloatBuffer values, AxisLayout xs, int tx, AxisLayout ys, int ty, ChannelMapping map) {
			int w = xs.window, h = ys.window, x0 = xs.starts[tx], y0 = ys.starts[ty] - rowOffset;
			int visibleW = Math.min(w, xs.length - x0), visibleH = Math.min(h, ys.length - ys.starts[ty]);
			float[] wx = xs.weights[tx], wy = ys.weights[ty];
			float[] row = new float[w];
			RandomAccess<FloatType> ra = arrays == null ? output.randomAccess() : null;
			for (int c = 0; c < map.channels(); c++) {
				float a = map.scale(c), b = map.offset(c);
				int tc = map.tensorChannel(c);
				float[] plane = arrays == null ? null : (float[]) arrays.array(c);
				int planeOffset = arrays == null ? 0 : arrays.offset(c);
				for (int y = 0; y < visibleH; y++) {
					float weightY = wy[y];
					if (weightY == 0f) continue;
					values.position((tc * h + y) * w);
					values.get(row, 0, w);
					if (plane != null) {
						int base = planeOffset + (y0 + y) * width + x0;
						for (int x = 0; x < visibleW; x++)
							plane[base + x] += weightY * wx[x] * (row[x] * a + b);
					}
					else {
						for (int x = 0; x < visibleW; x++) {
							if (output.numDimensions() == 3) ra.setPosition(new long[] { x0 + x, y0 + y, c });
							else ra.setPosition(new long[] { x0 + x, y0 + y });
							FloatType v = ra.get();
							v.set(v.get() + weightY * wx[x] * (row[x] * a + b));
						}
					}
				}
			}
		}
	}
}
