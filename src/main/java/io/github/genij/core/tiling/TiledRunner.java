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
				runOnce(input, inMap, output, outMap, manager, new AxisLayout(width, spec), new AxisLayout(height, spec));
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

	private void runOnce(RandomAccessibleInterval<? extends RealType<?>> input, ChannelMapping inMap,
		RandomAccessibleInterval<FloatType> output, ChannelMapping outMap, NDManager manager, AxisLayout xs,
		AxisLayout ys)
	{
		// A tile narrower than the input is first made at the largest size the spec allows: shrink the
		// recorded size to the window actually used, so a retry really is smaller.
		spec = spec.withTileSize(Math.max(xs.window, ys.window));
		RandomAccessible<? extends RealType<?>> extended = mirrored(input);
		boolean hasChannels = input.numDimensions() == 3;
		int channelsIn = hasChannels ? (int) input.dimension(2) : 1;
		int total = xs.count() * ys.count(), done = 0;
		Accumulator acc = new Accumulator(output);
		for (int ty = 0; ty < ys.count(); ty++) {
			for (int tx = 0; tx < xs.count(); tx++) {
				progress.checkCancelled();
				progress.status("Tile " + (done + 1) + " of " + total);
				long[] min = hasChannels ? new long[] { xs.starts[tx], ys.starts[ty], 0 }
					: new long[] { xs.starts[tx], ys.starts[ty] };
				long[] max = hasChannels ? new long[] { min[0] + xs.window - 1, min[1] + ys.window - 1, channelsIn - 1 }
					: new long[] { min[0] + xs.window - 1, min[1] + ys.window - 1 };
				RandomAccessibleInterval<? extends RealType<?>> window = Views.zeroMin(Views.interval(extended, min, max));
				try (NDManager tile = manager.newSubManager()) {
					NDArray in = ImageTensors.toTensor(window, inMap, tile);
					NDArray out = network.apply(in);
					long[] shape = out.getShape().getShape();
					if (shape.length != 4 || shape[2] != ys.window || shape[3] != xs.window || shape[1] != outMap.channels())
						throw new IllegalStateException("network returned " + out.getShape() + " for a window of " +
							in.getShape() + "; expected " + outMap.channels() + " channels of the same size");
					int tileX = tx, tileY = ty;
					ImageTensors.withFloats(out, buf -> acc.add(buf, xs, tileX, ys, tileY, outMap));
				}
				progress.progress(++done, total);
			}
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

		Accumulator(RandomAccessibleInterval<FloatType> output) {
			this.output = output;
			this.width = (int) output.dimension(0);
			int channels = output.numDimensions() == 3 ? (int) output.dimension(2) : 1;
			PixelArrays a = PixelArrays.of(output, channels);
			this.arrays = a != null && a.kind == PixelArrays.Kind.FLOAT ? a : null;
		}

		void add(FloatBuffer values, AxisLayout xs, int tx, AxisLayout ys, int ty, ChannelMapping map) {
			int w = xs.window, h = ys.window, x0 = xs.starts[tx], y0 = ys.starts[ty];
			int visibleW = Math.min(w, xs.length - x0), visibleH = Math.min(h, ys.length - y0);
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
