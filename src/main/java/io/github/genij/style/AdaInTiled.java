package io.github.genij.style;

import static io.github.genij.core.tensor.Placement.on;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.core.tiling.TiledRunner;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * AdaIN for images too large for one pass. The content's feature statistics must be those of the whole
 * image (per-tile statistics would give every tile its own look), so there are two passes: the first
 * encodes tile by tile and adds up each channel's sum and sum of squares over the tiles' cores (per label
 * when a mask is given); the second decodes tile by tile with those global statistics, blended by the
 * tiling runner. The label map travels as a fourth input channel.
 */
final class AdaInTiled {

	private AdaInTiled() {}

	/**
	 * @param image {@code [W, H, 3]} RGB in [0, 1], or {@code [W, H, 4]} with labels in the fourth channel
	 * @param out {@code [W, H, 3]} receives the decoder's output
	 */
	static void run(AdaInNetworks net, RandomAccessibleInterval<FloatType> image, List<NDArray[]> styleStats,
		double[] weights, double alpha, TileSpec spec, RandomAccessibleInterval<FloatType> out, NDManager m, Progress progress)
	{
		// the statistics pass walks cores of this side (the output pass's windows less their halos)
		int halo = spec.halo, tile = spec.tileSize / spec.multiple * spec.multiple - 2 * halo;
		if (tile < spec.multiple) {
			throw new GenIJException("tilesize=" + spec.tileSize + " leaves no room beside AdaIN's context of " + halo + " px each " +
				"side: use tilesize=" + (2 * halo + 8 * spec.multiple) + " or more.");
		}
		int channels = (int) image.dimension(2);
		boolean labelled = channels == 4;
		int groups = labelled ? Math.max(1, styleStats.size()) + 1 : 1;
		NDArray[][] content = contentStatistics(net, image, labelled, groups, tile, halo, m, progress);
		ChannelMapping identity = ChannelMapping.identity(channels);
		TiledRunner runner = new TiledRunner(x -> {
			NDArray rgb = labelled ? x.get(":, 0:3") : x;
			NDArray cf = net.encode(rgb);
			NDArray target;
			if (!labelled) target = normalised(cf, content[0], blendStats(styleStats, weights, cf));
			else {
				NDArray cells = cellLabels(x.get(":, 3:4"), cf);
				target = cf.mul(cells.eq(0).toType(cf.getDataType(), false));
				int n = styleStats.size();
				for (int k = 1; k < groups; k++) {
					if (content[k] == null) continue;
					NDArray mask = (n == 1 ? cells.gt(0) : cells.eq(k)).toType(cf.getDataType(), false);
					target = target.add(normalised(cf, content[k], styleStats.get(Math.min(k, n) - 1)).mul(mask));
				}
			}
			NDArray feat = alpha == 1 ? target : target.mul((float) alpha).add(cf.mul((float) (1 - alpha)));
			return net.decode(feat);
		}, spec, progress);
		runner.run(image, identity, out, ChannelMapping.identity(3), m);
	}

	/** (x - mean_c) / std_c * std_s + mean_s with given statistics. */
	private static NDArray normalised(NDArray cf, NDArray[] contentStats, NDArray[] styleStats) {
		return cf.sub(on(contentStats[0], cf)).div(on(contentStats[1], cf)).mul(styleStats[1]).add(styleStats[0]);
	}

	/** The style statistics a weighted blend of AdaIN outputs amounts to (it is linear in them). */
	private static NDArray[] blendStats(List<NDArray[]> styleStats, double[] weights, NDArray like) {
		if (weights == null) return styleStats.get(0);
		NDArray mean = null, std = null;
		for (int i = 0; i < styleStats.size(); i++) {
			NDArray mi = styleStats.get(i)[0].mul((float) weights[i]), si = styleStats.get(i)[1].mul((float) weights[i]);
			mean = mean == null ? mi : mean.add(mi);
			std = std == null ? si : std.add(si);
		}
		return new NDArray[] { mean, std };
	}

	/** The label at the centre of each 8x8 cell of a tile's features. */
	private static NDArray cellLabels(NDArray labels, NDArray cf) {
		int step = AdaInNetworks.MULTIPLE;
		return labels.get(":, :, " + step / 2 + "::" + step + ", " + step / 2 + "::" + step)
			.get(":, :, 0:" + cf.getShape().get(2) + ", 0:" + cf.getShape().get(3));
	}

	/** Per group (background, then each label): {mean, std} over the whole image's features, or null if empty. */
	private static NDArray[][] contentStatistics(AdaInNetworks net, RandomAccessibleInterval<FloatType> image,
		boolean labelled, int groups, int tile, int halo, NDManager m, Progress progress)
	{
		int w = (int) image.dimension(0), h = (int) image.dimension(1), c = (int) image.dimension(2);
		int step = AdaInNetworks.MULTIPLE;
		RandomAccessible<FloatType> mirrored = Views.extendMirrorSingle(image);
		double[][] sum = new double[groups][], sq = new double[groups][];
		double[] count = new double[groups];
		int tilesX = (w + tile - 1) / tile, tilesY = (h + tile - 1) / tile, done = 0;
		try (NoGrad g = NoGrad.enter()) {
			for (int ty = 0; ty < tilesY; ty++) {
				for (int tx = 0; tx < tilesX; tx++) {
					progress.checkCancelled();
					progress.status("Content statistics: tile " + (++done) + " of " + tilesX * tilesY);
					int x0 = tx * tile, y0 = ty * tile;
					int coreW = Math.min(tile, w - x0), coreH = Math.min(tile, h - y0);
					int cellsW = (coreW + step - 1) / step, cellsH = (coreH + step - 1) / step;
					long[] min = { x0 - halo, y0 - halo, 0 }, max = { x0 + cellsW * step + halo - 1, y0 + cellsH * step + halo - 1, c - 1 };
					try (NDManager t = m.newSubManager()) {
						NDArray x = ImageTensors.toTensor(Views.zeroMin(Views.interval(mirrored, min, max)),
							ChannelMapping.identity(c), t);
						NDArray cf = net.encode(labelled ? x.get(":, 0:3") : x);
						int hc = halo / step;
						NDArray core = cf.get(":, :, " + hc + ":" + (hc + cellsH) + ", " + hc + ":" + (hc + cellsW));
						NDArray cells = labelled ? cellLabels(x.get(":, 3:4"), cf).get(":, :, " + hc + ":" + (hc + cellsH) + ", " + hc +
							":" + (hc + cellsW)) : null;
						for (int k = 0; k < groups; k++) {
							NDArray mask = !labelled ? null : (groups == 2 && k == 1 ? cells.gt(0) : cells.eq(k)).toType(cf.getDataType(), false);
							NDArray f = mask == null ? core : core.mul(mask);
							double n = mask == null ? (double) cellsW * cellsH : mask.sum().getFloat();
							if (n == 0) continue;
							double[] s = f.sum(new int[] { 0, 2, 3 }).toType(DataType.FLOAT64, false).toDoubleArray();
							NDArray fsq = core.square();
							if (mask != null) fsq = fsq.mul(mask);
							double[] q = fsq.sum(new int[] { 0, 2, 3 }).toType(DataType.FLOAT64, false).toDoubleArray();
							if (sum[k] == null) {
								sum[k] = new double[s.length];
								sq[k] = new double[s.length];
							}
							for (int i = 0; i < s.length; i++) {
								sum[k][i] += s[i];
								sq[k][i] += q[i];
							}
							count[k] += n;
						}
					}
				}
			}
		}
		NDArray[][] stats = new NDArray[groups][];
		for (int k = 0; k < groups; k++) {
			if (sum[k] == null || count[k] < 2) continue;
			float[] mean = new float[sum[k].length], std = new float[sum[k].length];
			for (int i = 0; i < mean.length; i++) {
				double mu = sum[k][i] / count[k];
				double var = Math.max(0, (sq[k][i] - count[k] * mu * mu) / (count[k] - 1)); // unbiased, as the reference
				mean[i] = (float) mu;
				std[i] = (float) Math.sqrt(var + Normalization.EPS);
			}
			stats[k] = new NDArray[] { m.create(mean).reshape(1, mean.length, 1, 1), m.create(std).reshape(1, std.length, 1, 1) };
		}
		return stats;
	}
}
