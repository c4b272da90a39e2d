package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * Draws pixels in raster order, each from the network's distribution given every pixel before it: a whole
 * image ({@code PixelCNN Sample}) or the masked pixels of one ({@code PixelCNN Complete}).
 * <p>
 * Image k draws from numpy's {@code RandomState(seed + k)}: per pixel, one uniform value per mixture component
 * (the component by Gumbel-max), then one per channel. So a seed gives the same images whatever the count, and
 * the oracle can repeat the draws. The auxiliary-variable models draw their images one after another from the
 * same streams ({@link #draw(Canvas, boolean[], NumpyRandom[], double, NDManager, Progress)}).
 * <p>
 * {@link Passes#ROW_BY_ROW} (the default) runs the network one row at a time, keeping the rows above
 * ({@link RowByRow}, {@link ConditionalRows}); {@link Passes#WHOLE_IMAGE} runs it over the whole image for every
 * pixel as the reference does, for comparison.
 */
public final class PixelSampler {

	/** How the network's output at a new pixel is computed. */
	public enum Passes {
		ROW_BY_ROW, WHOLE_IMAGE
	}

	/** What the sampler asks of a network while a canvas fills. */
	interface Rows extends AutoCloseable {
		/** The mixture parameters of row {@code r}, {@code [N, P, 1, W]}, for the canvas as it stands. */
		NDArray pass(Canvas canvas, int r, NDManager step);

		/** Row {@code r} is final (no pixel of it changes any more). */
		default void commit(Canvas canvas, int r, NDManager step) {}

		@Override
		default void close() {}
	}

	private final int channels, mixtures;
	private final java.util.function.Supplier<Rows> rows;

	/** @param type the precision of the passes (float32; float64 for exact comparisons) */
	public PixelSampler(PixelCnnPP net, DataType type) {
		this(net, type, Passes.ROW_BY_ROW);
	}

	public PixelSampler(PixelCnnPP net, DataType type, Passes passes) {
		this(net.channels, net.mixtures, rows(net, type, passes));
	}

	/** PixelCNN++'s passes: {@link RowByRow}, or the whole image. */
	static java.util.function.Supplier<Rows> rows(PixelCnnPP net, DataType type, Passes passes) {
		if (passes == Passes.WHOLE_IMAGE) return () -> wholeImage(net::forward, type);
		return () -> keptRows(parent -> new RowByRow(net, parent), type);
	}

	/** A conditional stack's passes given its conditioning features (null: none): {@link ConditionalRows}, or the whole image. */
	static java.util.function.Supplier<Rows> rows(ConditionalPixelCnn net, NDArray features, DataType type, Passes passes) {
		if (passes == Passes.WHOLE_IMAGE) return () -> wholeImage(x -> net.forward(x, features == null ? null : local(features, x)), type);
		return () -> keptRows(parent -> new ConditionalRows(net, features, parent), type);
	}

	/** A network's pass one row at a time that keeps the rows above: {@link RowByRow}, {@link ConditionalRows}. */
	interface KeptRows extends AutoCloseable {
		/** The mixture parameters of row r, {@code [N, P, 1, W]}, from the image's row r. */
		NDArray pass(int r, NDArray row);

		/** Row r is final: called while its last pass's arrays are open. */
		void commit(int r);

		@Override
		void close();
	}

	/** Rows from a {@link KeptRows} made on the first pass (in the draw's manager, closed with the draw). */
	private static Rows keptRows(java.util.function.Function<NDManager, KeptRows> make, DataType type) {
		return new Rows() {
			private KeptRows rows;

			@Override
			public NDArray pass(Canvas canvas, int r, NDManager step) {
				if (rows == null) rows = make.apply(step.getParentManager());
				return rows.pass(r, canvas.rows(step, r, r + 1, type));
			}

			@Override
			public void commit(Canvas canvas, int r, NDManager step) {
				pass(canvas, r, step);
				rows.commit(r);
			}

			@Override
			public void close() {
				if (rows != null) rows.close();
			}
		};
	}

	/** A view of a long-lived array in {@code like}'s manager, so that results computed from it go with the pass. */
	private static NDArray local(NDArray kept, NDArray like) {
		NDArray view = kept.reshape(kept.getShape());
		view.attach(like.getManager());
		return view;
	}

	/** A sampler for a network of {@code channels} and {@code mixtures} whose passes {@code rows} makes (one per draw). */
	PixelSampler(int channels, int mixtures, java.util.function.Supplier<Rows> rows) {
		this.channels = channels;
		this.mixtures = mixtures;
		this.rows = rows;
	}

	/** Whole-image passes of {@code net}: every pixel's output from a pass over the whole canvas. */
	static Rows wholeImage(java.util.function.UnaryOperator<NDArray> net, DataType type) {
		return (canvas, r, step) -> net.apply(canvas.rows(step, canvas.height, type)).get(":, :, " + r + ":" + (r + 1) + ", :");
	}

	/**
	 * Draws the pixels of {@code canvas} where {@code mask} is true (null: all), keeping the others.
	 *
	 * @param mask {@code height * width} flags, row after row; null for every pixel
	 * @param temperature 1 is the model's distribution, below 1 sharper (log-scales shifted by its logarithm, see
	 *        {@link LogisticMixture#drawPixel})
	 */
	public void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress) {
		draw(canvas, mask, streams(seed, canvas.count), temperature, manager, progress);
	}

	/** Image k's random stream: numpy's {@code RandomState(seed + k)}. */
	static NumpyRandom[] streams(long seed, int count) {
		NumpyRandom[] streams = new NumpyRandom[count];
		for (int k = 0; k < count; k++) streams[k] = new NumpyRandom(seed + k);
		return streams;
	}

	/** As above, image k drawing from {@code streams[k]} where the caller left it. */
	void draw(Canvas canvas, boolean[] mask, NumpyRandom[] streams, double temperature, NDManager manager, Progress progress) {
		if (canvas.channels != channels)
			throw new IllegalArgumentException("the canvas has " + canvas.channels + " channels; the model " + channels);
		int total = 0, done = 0, lastRow = -1;
		for (int i = 0; i < canvas.height * canvas.width; i++) {
			if (mask == null || mask[i]) {
				total++;
				lastRow = i / canvas.width;
			}
		}
		int parameters = mixtures * LogisticMixture.parametersPerMixture(channels);
		double[] l = new double[parameters], mixtureDraws = new double[mixtures], channelDraws = new double[channels];
		int[] levels = new int[channels];
		try (Rows passes = rows.get()) {
			for (int row = 0; row <= lastRow; row++) {
				for (int col = 0; col < canvas.width; col++) {
					if (mask != null && !mask[row * canvas.width + col]) continue;
					progress.checkCancelled();
					double[] all;
					try (NDManager step = manager.newSubManager()) {
						all = passes.pass(canvas, row, step).get(":, :, 0, " + col).toType(DataType.FLOAT64, false).toDoubleArray();
					}
					for (int k = 0; k < canvas.count; k++) {
						System.arraycopy(all, k * parameters, l, 0, parameters);
						for (int j = 0; j < mixtures; j++) mixtureDraws[j] = streams[k].nextDouble();
						for (int c = 0; c < channels; c++) channelDraws[c] = streams[k].nextDouble();
						LogisticMixture.drawPixel(l, channels, canvas.depth, mixtureDraws, channelDraws, temperature, levels);
						for (int c = 0; c < channels; c++) canvas.levels[canvas.index(k, c, row, col)] = levels[c];
					}
					progress.progress(++done, total);
				}
				if (row < lastRow) {
					try (NDManager step = manager.newSubManager()) { // the row is final: keep what the rows below need
						passes.commit(canvas, row, step);
					}
				}
			}
		}
	}
}
