package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Container;
import io.github.genij.core.nn.module.Module;

/**
 * pytorch_GAN_zoo's progressive discriminator ({@code DNet}), keyed as its state dict: {@code fromRGBLayers.k}
 * (1x1, one per scale, the newest last), per grown scale {@code scaleLayers.k} (two 3x3 convolutions, the second to
 * the depth of the scale below, then 2x2 average pooling), the zoo's minibatch standard deviation channel, then
 * {@code groupScaleZero} (a 3x3 convolution and a linear layer on the 4x4 grid) and a linear {@code decisionLayer}.
 * Every layer is equalised as the generator's ({@link ProGan.Equalized}); lrelus go through
 * {@link ActivationPattern} so that the gradient penalty's central differences see fixed slopes.
 * <p>
 * In a transition ({@code previousShare} above 0: the zoo's alpha) the input, average-pooled, also enters through the
 * previous scale's fromRGB and is blended in after the newest scale, as the zoo does; and as the zoo does, only once
 * two or more scales are grown: at the 8x8 transition its discriminator does not blend (its {@code len(scaleLayers) > 1}).
 */
final class ProGanDiscriminator extends Module {

	private final ProGan.Shape0 shape;
	private final float leak;
	private final List<ProGan.Equalized[]> scales = new ArrayList<>();
	private final List<ProGan.Equalized> fromRgb = new ArrayList<>();
	private final ProGan.Equalized decision, conv0, dense0;
	/** The zoo's alpha: the previous scale's share in a transition, 0 when grown. */
	private double previousShare;

	ProGanDiscriminator(ProGan.Shape0 shape, float leak) {
		this.shape = shape;
		this.leak = leak;
		int[] d = shape.depths;
		Container layers = add("scaleLayers", new Container()), rgb = add("fromRGBLayers", new Container());
		fromRgb.add(rgb.put("0", new ProGan.Equalized(new long[] { shape.depth0, shape.channels, 1, 1 })));
		for (int k = 0; k < d.length; k++) {
			int below = k == 0 ? shape.depth0 : d[k - 1];
			Container s = layers.put(String.valueOf(k), new Container());
			scales.add(new ProGan.Equalized[] { s.put("0", new ProGan.Equalized(new long[] { d[k], d[k], 3, 3 })),
				s.put("1", new ProGan.Equalized(new long[] { below, d[k], 3, 3 })) });
			fromRgb.add(rgb.put(String.valueOf(k + 1), new ProGan.Equalized(new long[] { d[k], shape.channels, 1, 1 })));
		}
		decision = add("decisionLayer", new ProGan.Equalized(new long[] { 1, shape.depth0 }));
		Container zero = add("groupScaleZero", new Container());
		conv0 = zero.put("0", new ProGan.Equalized(new long[] { shape.depth0, shape.depth0 + 1, 3, 3 }));
		dense0 = zero.put("1", new ProGan.Equalized(new long[] { shape.depth0, 16L * shape.depth0 }));
	}

	/** The zoo's alpha: the previous scale's share (0: the newest scale alone). */
	void previousShare(double share) {
		previousShare = share;
	}

	private NDArray act(NDArray x) {
		return ActivationPattern.lrelu(x, leak);
	}

	/** The decision {@code [N, 1]} for images {@code [N, C, R, R]} at the newest scale's resolution. */
	NDArray forward(NDArray x) {
		int n = scales.size();
		boolean merge = previousShare > 0 && n > 1;
		NDArray below = merge ? act(fromRgb.get(n - 1).forward(pool(x))) : null;
		x = act(fromRgb.get(n).forward(x));
		for (int k = n - 1; k >= 0; k--) {
			for (ProGan.Equalized conv : scales.get(k)) x = act(conv.forward(x));
			x = pool(x);
			if (merge && k == n - 1) x = Scalars.times(below, (float) previousShare).add(Scalars.times(x, (float) (1 - previousShare)));
		}
		x = act(conv0.forward(miniBatchStdDev(x)));
		x = act(dense0.forward(x.reshape(x.getShape().get(0), -1)));
		return decision.forward(x);
	}

	/** 2x2 average pooling, as the zoo's discriminator and its fading of real images use it. */
	static NDArray pool(NDArray x) {
		return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
	}

	/**
	 * The zoo's {@code miniBatchStdDev}: samples in consecutive groups of 4 (or all, if 4 does not divide the batch),
	 * the unbiased standard deviation over a group (+1e-8 under the root), averaged over channels and pixels, as one
	 * more channel for every sample of the group; zeros for a group of one.
	 */
	static NDArray miniBatchStdDev(NDArray x) {
		Shape s = x.getShape();
		long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		long group = Math.min(n, 4);
		if (n % group != 0) group = n;
		NDArray extra;
		if (group > 1) {
			long groups = n / group;
			NDArray y = x.reshape(groups, group, c * h * w);
			NDArray centred = y.sub(y.mean(new int[] { 1 }, true));
			NDArray std = centred.square().sum(new int[] { 1 }).div(group - 1).add(1e-8).sqrt(); // [G, CHW]
			NDArray perGroup = std.mean(new int[] { 1 }).reshape(groups, 1, 1, 1, 1);
			extra = perGroup.broadcast(new Shape(groups, group, 1, h, w)).reshape(n, 1, h, w);
		}
		else extra = x.getManager().zeros(new Shape(n, 1, h, w), x.getDataType(), x.getDevice());
		return NDArrays.concat(new NDList(x, extra), 1);
	}

	int resolution() {
		return 4 << scales.size();
	}

	ProGan.Shape0 shape() {
		return shape;
	}
}
