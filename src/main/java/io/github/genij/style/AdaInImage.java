package io.github.genij.style;

import static io.github.genij.core.tensor.Placement.on;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.tiling.WholeImageNetwork;

/**
 * AdaIN as the tiled runner drives it, for one image (one slice of a stack) of any size. The content's
 * feature statistics must be those of the whole image (per-window statistics would give every window its
 * own look), and with colour preservation the styles take the whole content's colours: both are gathered
 * over the windows' owned regions first ({@link WholeImageNetwork#gather}), then each window is decoded
 * with them. An image that is one window is styled exactly as the reference does it
 * ({@link AdaInTransfer}). Input channels: the content (RGB, or one gray channel), then, with a mask,
 * the label map; output RGB, or its luminance for a gray result.
 */
final class AdaInImage implements WholeImageNetwork {

	private final AdaInNetworks net;
	private final List<NDArray> styles;
	private final double[] weights;
	private final double alpha;
	private final int contentChannels, groups;
	private final boolean labelled, preserveColor, lumaOut;

	/** Gathered per image: null while the image is one window. */
	private NDArray[][] content;
	private List<NDArray[]> styleStats;
	/** Holds what was gathered for the current image; replaced by the next. */
	private NDManager gathered;

	/**
	 * @param styles {@code [1, 3, h, w]} RGB in [0, 1], on the device
	 * @param weights one per style, or null for one style
	 */
	AdaInImage(AdaInNetworks net, List<NDArray> styles, double[] weights, double alpha, int contentChannels, boolean labelled,
		boolean preserveColor, boolean lumaOut)
	{
		this.net = net;
		this.styles = styles;
		this.weights = weights;
		this.alpha = alpha;
		this.contentChannels = contentChannels;
		this.labelled = labelled;
		this.preserveColor = preserveColor;
		this.lumaOut = lumaOut;
		this.groups = labelled ? Math.max(1, styles.size()) + 1 : 1;
	}

	@Override
	public void gather(Windows windows) {
		content = null;
		styleStats = null;
		if (gathered != null) gathered.close();
		gathered = styles.get(0).getManager().newSubManager();
		if (windows.count() == 1) return; // the window is the whole image: apply() sees everything it needs
		int step = AdaInNetworks.MULTIPLE;
		double[][] sum = new double[groups][], sq = new double[groups][];
		double[] count = new double[groups];
		Coral.Moments colours = new Coral.Moments();
		windows.forEach("AdaIN: statistics of the whole image", (window, owned) -> {
			NDArray rgb = rgb(window);
			if (preserveColor) {
				NDArray own = rgb.get(new NDIndex(":, :, {}:{}, {}:{}", owned.y0, owned.y1, owned.x0, owned.x1));
				colours.add(own.toFloatArray(), (owned.x1 - owned.x0) * (owned.y1 - owned.y0));
			}
			NDArray cf = net.encode(rgb);
			int[] c = owned.cells(step, step);
			NDIndex cells = new NDIndex(":, :, {}:{}, {}:{}", c[2], c[3], c[0], c[1]);
			NDArray core = cf.get(cells);
			NDArray labels = labelled ? cellLabels(labelsOf(window), cf).get(cells) : null;
			for (int k = 0; k < groups; k++) {
				NDArray mask = labels == null ? null : group(labels, k).toType(cf.getDataType(), false);
				double n = mask == null ? (double) (c[1] - c[0]) * (c[3] - c[2]) : mask.sum().getFloat();
				if (n == 0) continue;
				NDArray f = mask == null ? core : core.mul(mask), f2 = mask == null ? core.square() : core.square().mul(mask);
				double[] s = f.sum(new int[] { 0, 2, 3 }).toType(DataType.FLOAT64, false).toDoubleArray();
				double[] q = f2.sum(new int[] { 0, 2, 3 }).toType(DataType.FLOAT64, false).toDoubleArray();
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
		});
		NDManager m = gathered;
		content = new NDArray[groups][];
		for (int k = 0; k < groups; k++) {
			if (sum[k] == null || count[k] < 2) continue;
			float[] mean = new float[sum[k].length], std = new float[sum[k].length];
			for (int i = 0; i < mean.length; i++) {
				double mu = sum[k][i] / count[k];
				double var = Math.max(0, (sq[k][i] - count[k] * mu * mu) / (count[k] - 1)); // unbiased, as the reference
				mean[i] = (float) mu;
				std[i] = (float) Math.sqrt(var + Normalization.EPS);
			}
			content[k] = new NDArray[] { m.create(mean).reshape(1, mean.length, 1, 1), m.create(std).reshape(1, std.length, 1, 1) };
		}
		styleStats = new ArrayList<>();
		for (NDArray s : preserveColor ? matched(colours, m) : styles) {
			try (NDManager encoding = m.newSubManager()) { // the encoder's activations go with it
				s.tempAttach(encoding);
				NDArray sf = net.encode(s);
				NDArray[] st = { Normalization.mean(sf), Normalization.std(sf, true, Normalization.EPS) };
				st[0].attach(m);
				st[1].attach(m);
				styleStats.add(st);
			}
		}
	}

	@Override
	public NDArray apply(NDArray x) {
		NDArray rgb = rgb(x), labels = labelled ? labelsOf(x) : null;
		NDArray y;
		if (content == null) {
			List<NDArray> st = styles;
			if (preserveColor) {
				Coral.Moments colours = new Coral.Moments();
				colours.add(rgb.toFloatArray(), (int) (rgb.size() / 3));
				st = matched(colours, x.getManager());
			}
			y = AdaInTransfer.run(net, rgb, st, weights, alpha, labels);
		}
		else y = net.decode(features(rgb, labels));
		return lumaOut ? LuminanceTransfer.luma(y) : y;
	}

	/** The target features of one window with the whole image's statistics. */
	private NDArray features(NDArray rgb, NDArray labels) {
		NDArray cf = net.encode(rgb);
		NDArray target;
		if (labels == null) target = normalised(cf, content[0], blendStats(cf));
		else {
			NDArray cells = cellLabels(labels, cf);
			target = cf.mul(cells.eq(0).toType(cf.getDataType(), false));
			int n = styleStats.size();
			for (int k = 1; k < groups; k++) {
				if (content[k] == null) continue;
				NDArray mask = group(cells, k).toType(cf.getDataType(), false);
				target = target.add(normalised(cf, content[k], styleStats.get(Math.min(k, n) - 1)).mul(mask));
			}
		}
		return alpha == 1 ? target : target.mul((float) alpha).add(cf.mul((float) (1 - alpha)));
	}

	/** Label group k of the cells: 0 the unlabelled, then label k, or every label with one style. */
	private NDArray group(NDArray cells, int k) {
		if (k == 0) return cells.eq(0);
		return groups == 2 ? cells.gt(0) : cells.eq(k);
	}

	/** The styles with the content's colours (CORAL, as the reference's colour preservation). */
	private List<NDArray> matched(Coral.Moments colours, NDManager m) {
		List<NDArray> out = new ArrayList<>();
		for (NDArray s : styles) out.add(on(m.create(Coral.match(s.toFloatArray(), colours), s.getShape()), s));
		return out;
	}

	private NDArray rgb(NDArray x) {
		NDArray c = x.get(":, 0:" + contentChannels);
		return contentChannels == 1 ? c.repeat(1, 3) : c;
	}

	private NDArray labelsOf(NDArray x) {
		return x.get(":, " + contentChannels + ":" + (contentChannels + 1));
	}

	/** (x - mean_c) / std_c * std_s + mean_s with given statistics. */
	private static NDArray normalised(NDArray cf, NDArray[] contentStats, NDArray[] style) {
		return cf.sub(on(contentStats[0], cf)).div(on(contentStats[1], cf)).mul(on(style[1], cf)).add(on(style[0], cf));
	}

	/** The style statistics a weighted blend of AdaIN outputs amounts to (it is linear in them). */
	private NDArray[] blendStats(NDArray like) {
		if (weights == null) return styleStats.get(0);
		NDArray mean = null, std = null;
		for (int i = 0; i < styleStats.size(); i++) {
			NDArray mi = on(styleStats.get(i)[0], like).mul((float) weights[i]), si = on(styleStats.get(i)[1], like).mul((float) weights[i]);
			mean = mean == null ? mi : mean.add(mi);
			std = std == null ? si : std.add(si);
		}
		return new NDArray[] { mean, std };
	}

	/** The label at the centre of each 8x8 cell of a window's features. */
	private static NDArray cellLabels(NDArray labels, NDArray cf) {
		int step = AdaInNetworks.MULTIPLE;
		return labels.get(":, :, " + step / 2 + "::" + step + ", " + step / 2 + "::" + step)
			.get(":, :, 0:" + cf.getShape().get(2) + ", 0:" + cf.getShape().get(3));
	}

}
