package io.github.genij.style;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Padding;

/**
 * Arbitrary style transfer with adaptive instance normalisation (Huang and Belongie 2017), as
 * naoto0804/pytorch-AdaIN computes it, and beyond it: styles of different sizes blended with weights,
 * any content size (mirror-padded to a multiple of 8, cropped back), and spatial control by a label map.
 * <p>
 * Images are {@code [1, 3, H, W]} RGB in [0, 1]; the result is the decoder's raw output, same size.
 */
final class AdaInTransfer {

	private AdaInTransfer() {}

	/**
	 * @param styles one or more style images
	 * @param weights one weight per style (summing to 1 for an interpolation), or null for one style
	 * @param alpha 1: full style, 0: the content's own features
	 * @param labels null, or {@code [1, 1, H, W]} labels at the content's size: label k (1..styles) takes
	 *        style k, label 0 keeps the content's features; with one style, any non-zero label takes it
	 */
	static NDArray run(AdaInNetworks net, NDArray content, List<NDArray> styles, double[] weights, double alpha,
		NDArray labels)
	{
		// every activation is freed when the transfer returns; styles and labels join the scope through the content
		return Scoped.apply(content, c -> transfer(net, c, styles, weights, alpha, labels));
	}

	private static NDArray transfer(AdaInNetworks net, NDArray content, List<NDArray> styles, double[] weights, double alpha,
		NDArray labels)
	{
		if (styles.isEmpty()) throw new GenIJException("AdaIN needs at least one style image.");
		if (weights != null && weights.length != styles.size())
			throw new GenIJException("weights has " + weights.length + " values for " + styles.size() + " style images.");
		try (NoGrad g = NoGrad.enter()) {
			long h = content.getShape().get(2), w = content.getShape().get(3);
			int m = AdaInNetworks.MULTIPLE;
			long ph = (m - h % m) % m, pw = (m - w % m) % m;
			NDArray padded = ph + pw == 0 ? content : Padding.reflect(content, 0, (int) pw, 0, (int) ph);
			NDArray cf = net.encode(padded);
			List<NDArray[]> styleStats = new ArrayList<>();
			for (NDArray s : styles) {
				NDArray sf = net.encode(s);
				sf.attach(content.getManager());
				styleStats.add(new NDArray[] { Normalization.mean(sf), Normalization.std(sf, true, Normalization.EPS) });
			}
			NDArray target = labels == null ? blend(cf, styleStats, weights) : regions(cf, styleStats, labels, ph, pw);
			NDArray feat = alpha == 1 ? target : target.mul((float) alpha).add(cf.mul((float) (1 - alpha)));
			NDArray out = net.decode(feat);
			return ph + pw == 0 ? out : out.get(":, :, 0:" + h + ", 0:" + w);
		}
	}

	/** The reference's interpolation: AdaIN with each style, weighted. */
	private static NDArray blend(NDArray cf, List<NDArray[]> styleStats, double[] weights) {
		NDArray sum = null;
		for (int i = 0; i < styleStats.size(); i++) {
			NDArray t = Normalization.adain(cf, styleStats.get(i)[0], styleStats.get(i)[1], true, Normalization.EPS);
			if (weights != null) t = t.mul((float) weights[i]);
			sum = sum == null ? t : sum.add(t);
		}
		return sum;
	}

	/**
	 * Spatial control: each labelled region of the content is normalised with its own statistics and takes
	 * its style's; unlabelled pixels keep the content's features.
	 */
	private static NDArray regions(NDArray cf, List<NDArray[]> styleStats, NDArray labels, long ph, long pw) {
		long fh = cf.getShape().get(2), fw = cf.getShape().get(3);
		NDArray lab = ph + pw == 0 ? labels : Padding.replicate(labels, 0, (int) pw, 0, (int) ph);
		// the label at the centre of each feature cell (nearest, one per 8x8 block)
		int step = AdaInNetworks.MULTIPLE;
		NDArray small = lab.get(":, :, " + step / 2 + "::" + step + ", " + step / 2 + "::" + step);
		small = small.get(":, :, 0:" + fh + ", 0:" + fw);
		NDArray result = cf.mul(small.eq(0).toType(cf.getDataType(), false));
		int n = styleStats.size();
		for (int k = 1; k <= Math.max(1, n); k++) {
			NDArray mask = (n == 1 ? small.gt(0) : small.eq(k)).toType(cf.getDataType(), false);
			float count = mask.sum().getFloat();
			if (count < 2) continue; // no pixel, or too few for statistics: the content stays
			NDArray mean = cf.mul(mask).sum(new int[] { 2, 3 }, true).div(count);
			NDArray var = cf.sub(mean).square().mul(mask).sum(new int[] { 2, 3 }, true).div(count - 1);
			NDArray std = var.add(Normalization.EPS).sqrt();
			NDArray[] s = styleStats.get(Math.min(k, n) - 1);
			NDArray t = cf.sub(mean).div(std).mul(s[1]).add(s[0]);
			result = result.add(t.mul(mask));
		}
		return result;
	}
}
