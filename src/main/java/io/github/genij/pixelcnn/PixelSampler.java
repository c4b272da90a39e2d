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
 * the oracle can repeat the draws.
 * <p>
 * {@link Passes#ROW_BY_ROW} (the default) runs the network one row at a time, keeping the rows above
 * ({@link RowByRow}); {@link Passes#WHOLE_IMAGE} runs it over the whole image for every pixel as the reference
 * does, for comparison.
 */
public final class PixelSampler {

	/** How the network's output at a new pixel is computed. */
	public enum Passes {
		ROW_BY_ROW, WHOLE_IMAGE
	}

	private final PixelCnnPP net;
	private final DataType type;
	private final Passes passes;

	/** @param type the precision of the passes (float32; float64 for exact comparisons) */
	public PixelSampler(PixelCnnPP net, DataType type) {
		this(net, type, Passes.ROW_BY_ROW);
	}

	public PixelSampler(PixelCnnPP net, DataType type, Passes passes) {
		this.net = net;
		this.type = type;
		this.passes = passes;
	}

	/**
	 * Draws the pixels of {@code canvas} where {@code mask} is true (null: all), keeping the others.
	 *
	 * @param mask {@code height * width} flags, row after row; null for every pixel
	 * @param temperature 1 is the model's distribution, below 1 sharper (log-scales shifted by its logarithm, see
	 *        {@link LogisticMixture#drawPixel})
	 */
	public void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress) {
		if (canvas.channels != net.channels)
			throw new IllegalArgumentException("the canvas has " + canvas.channels + " channels; the model " + net.channels);
		NumpyRandom[] streams = new NumpyRandom[canvas.count];
		for (int k = 0; k < canvas.count; k++) streams[k] = new NumpyRandom(seed + k);
		int total = 0, done = 0;
		for (int i = 0; i < canvas.height * canvas.width; i++) if (mask == null || mask[i]) total++;
		int parameters = net.mixtures * LogisticMixture.parametersPerMixture(net.channels);
		double[] l = new double[parameters], mixtureDraws = new double[net.mixtures], channelDraws = new double[net.channels];
		int[] levels = new int[net.channels];
		int lastRow = -1;
		for (int i = 0; i < canvas.height * canvas.width; i++) if (mask == null || mask[i]) lastRow = i / canvas.width;
		RowByRow rows = passes == Passes.ROW_BY_ROW ? new RowByRow(net, manager) : null;
		try {
			for (int row = 0; row <= lastRow; row++) {
				for (int col = 0; col < canvas.width; col++) {
					if (mask != null && !mask[row * canvas.width + col]) continue;
					progress.checkCancelled();
					double[] all = parameters(canvas, row, col, rows, manager);
					draw(canvas, all, row, col, streams, temperature, l, mixtureDraws, channelDraws, levels);
					progress.progress(++done, total);
				}
				if (rows != null && row < lastRow) {
					try (NDManager step = manager.newSubManager()) { // the row is final: keep what the rows below need
						rows.pass(row, canvas.rows(step, row, row + 1, type));
						rows.commit(row);
					}
				}
			}
		}
		finally {
			if (rows != null) rows.close();
		}
	}

	/** The mixture parameters of every image at (row, col), {@code [count, P]} flattened. */
	private double[] parameters(Canvas canvas, int row, int col, RowByRow rows, NDManager manager) {
		try (NDManager step = manager.newSubManager()) {
			NDArray out = rows != null ? rows.pass(row, canvas.rows(step, row, row + 1, type)).get(":, :, 0, " + col)
				: net.forward(canvas.rows(step, canvas.height, type)).get(":, :, " + row + ", " + col);
			return out.toType(DataType.FLOAT64, false).toDoubleArray();
		}
	}

	private void draw(Canvas canvas, double[] all, int row, int col, NumpyRandom[] streams, double temperature, double[] l,
		double[] mixtureDraws, double[] channelDraws, int[] levels)
	{
		int parameters = l.length;
		for (int k = 0; k < canvas.count; k++) {
			System.arraycopy(all, k * parameters, l, 0, parameters);
			for (int j = 0; j < mixtureDraws.length; j++) mixtureDraws[j] = streams[k].nextDouble();
			for (int c = 0; c < channelDraws.length; c++) channelDraws[c] = streams[k].nextDouble();
			LogisticMixture.drawPixel(l, net.channels, mixtureDraws, channelDraws, temperature, levels);
			for (int c = 0; c < net.channels; c++) canvas.levels[canvas.index(k, c, row, col)] = levels[c];
		}
	}
}
