package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ModuleList;
import io.github.genij.core.nn.module.Slot;

/**
 * rosinality's StyleGAN2 {@code Discriminator}, keyed as its state dict ({@code convs.0.0.weight},
 * {@code convs.1.conv2.0.kernel}, {@code final_linear.1.bias}, ...): a 1×1 convolution from the image, residual
 * blocks that halve the size down to 4×4 (blur, then a stride-2 convolution; a 1×1 shortcut; both × 1/√2), the
 * minibatch standard deviation as one more feature map (groups of up to 4), a 3×3 convolution and two
 * equalised linear layers to one logit per image. Every weight is equalised (drawn N(0, 1), used × 1/√fan-in).
 * <p>
 * rosinality's D reads RGB; GenIJ's reads the generator's channels (1 for grey), and the export to rosinality's
 * layout spreads a grey model's first weights over R, G and B ({@link RosinalityExport}).
 */
final class Discriminator extends Module {

	static final int STDDEV_GROUP = 4;

	final int resolution, imageChannels;
	private final List<Module> convs = new ArrayList<>();
	private final ConvLayer finalConv;
	private final EqualLinear fc, out;

	/** @param channels the features at each resolution (the generator's) */
	Discriminator(int resolution, int imageChannels, IntUnaryOperator channels) {
		this.resolution = resolution;
		this.imageChannels = imageChannels;
		ModuleList<Module> body = add("convs", new ModuleList<>());
		convs.add(body.append(new ConvLayer(imageChannels, channels.applyAsInt(resolution), 1, false, true)));
		int in = channels.applyAsInt(resolution);
		for (int res = resolution; res > 4; res /= 2) {
			int outChannels = channels.applyAsInt(res / 2);
			convs.add(body.append(new ResBlock(in, outChannels)));
			in = outChannels;
		}
		finalConv = add("final_conv", new ConvLayer(in + 1, channels.applyAsInt(4), 3, false, true));
		ModuleList<EqualLinear> linear = add("final_linear", new ModuleList<>());
		fc = linear.append(new EqualLinear(channels.applyAsInt(4) * 16, channels.applyAsInt(4), true));
		out = linear.append(new EqualLinear(channels.applyAsInt(4), 1, false));
	}

	/** One logit per image ({@code [N, 1]}) for images {@code [N, C, R, R]} of about -1..1. */
	NDArray forward(NDArray x) {
		for (Module m : convs) x = m instanceof ResBlock ? ((ResBlock) m).forward(x) : ((ConvLayer) m).forward(x);
		x = withStddev(x);
		x = finalConv.forward(x);
		x = x.reshape(x.getShape().get(0), -1);
		return out.forward(fc.forward(x));
	}

	/**
	 * The minibatch standard deviation as an extra feature map: samples in groups of {@code min(N, 4)} (sample i
	 * in group i mod (N / group), as rosinality's view does), the std over the group of every feature, averaged.
	 */
	static NDArray withStddev(NDArray x) {
		long n = x.getShape().get(0), c = x.getShape().get(1), h = x.getShape().get(2), w = x.getShape().get(3);
		long group = Math.min(n, STDDEV_GROUP);
		if (n % group != 0) throw new IllegalArgumentException("a batch of " + n + " does not split into groups of " + group);
		NDArray y = x.reshape(group, n / group, 1, c, h, w);
		NDArray centred = y.sub(y.mean(new int[] { 0 }, true));
		NDArray std = centred.square().mean(new int[] { 0 }).add(Scalars.of(x, 1e-8f)).sqrt(); // [n/g, 1, c, h, w]
		NDArray perGroup = Scalars.over(std.sum(new int[] { 2, 3, 4 }, true), c * h * w).squeeze(2); // [n/g, 1, 1, 1]
		// tiled, not interleaved: sample b = i·(N / group) + j gets statistic j
		NDArray map = perGroup.expandDims(0).broadcast(group, n / group, 1, h, w).reshape(n, 1, h, w);
		return NDArrays.concat(new NDList(x, map), 1);
	}

	/** {@code EqualConv2d}: weight N(0, 1) used × 1/√(in·k²); a bias only where no activation follows. */
	static final class EqualConv extends Module {
		private final Slot weight, bias;
		private final float scale;
		private final int stride, padding;

		EqualConv(int in, int out, int kernel, int stride, int padding, boolean withBias) {
			this.scale = (float) (1 / Math.sqrt((double) in * kernel * kernel));
			this.stride = stride;
			this.padding = padding;
			weight = parameter("weight", Init.normal(0, 1), out, in, kernel, kernel);
			bias = withBias ? parameter("bias", Init.zeros(), out) : null;
		}

		NDArray forward(NDArray x) {
			return Convolutions.conv2d(x, Scalars.times(weight.local(x), scale), bias == null ? null : bias.local(x), stride, padding);
		}
	}

	/** {@code FusedLeakyReLU}: bias, lrelu 0.2, × √2. */
	static final class BiasLrelu extends Module {
		private final Slot bias;

		BiasLrelu(int channels) {
			bias = parameter("bias", Init.zeros(), channels);
		}

		NDArray forward(NDArray x) {
			NDArray b = bias.local(x);
			NDArray y = x.add(x.getShape().dimension() == 4 ? b.reshape(1, -1, 1, 1) : b.reshape(1, -1));
			return Scalars.times(ActivationPattern.lrelu(y), StyleOps.LRELU_GAIN);
		}
	}

	/** {@code Blur} before a stride-2 convolution: the [1, 3, 3, 1] filter (sum 1), padded (pad, pad). */
	static final class Blur extends Module {
		private final Slot kernel;
		private final int pad;

		Blur(int pad) {
			this.pad = pad;
			kernel = buffer("kernel", StyleOps.FILTER, 4, 4);
		}

		NDArray forward(NDArray x) {
			return StyleOps.upfirdn(x, kernel.local(x), 1, pad, pad, 1f);
		}
	}

	/**
	 * {@code ConvLayer}: [Blur,] EqualConv2d [, FusedLeakyReLU], numbered as rosinality's Sequential; down-sampling
	 * blurs with (p + 1) / 2 and p / 2 padding, p = (4 - 2) + (k - 1) (equal for k 1 and 3), then strides by 2.
	 */
	static final class ConvLayer extends Module {
		private final Blur blur;
		private final EqualConv conv;
		private final BiasLrelu act;

		ConvLayer(int in, int out, int kernel, boolean downsample, boolean activate) {
			int k = 0;
			blur = downsample ? add(String.valueOf(k++), new Blur((2 + kernel - 1) / 2)) : null;
			conv = add(String.valueOf(k++), new EqualConv(in, out, kernel, downsample ? 2 : 1, downsample ? 0 : kernel / 2, false));
			act = activate ? add(String.valueOf(k), new BiasLrelu(out)) : null;
		}

		NDArray forward(NDArray x) {
			if (blur != null) x = blur.forward(x);
			x = conv.forward(x);
			return act == null ? x : act.forward(x);
		}
	}

	/** {@code ResBlock}: conv1 (3×3), conv2 (3×3, down), a 1×1 down-sampling shortcut; the sum × 1/√2. */
	static final class ResBlock extends Module {
		private final ConvLayer conv1, conv2, skip;

		ResBlock(int in, int out) {
			conv1 = add("conv1", new ConvLayer(in, in, 3, false, true));
			conv2 = add("conv2", new ConvLayer(in, out, 3, true, true));
			skip = add("skip", new ConvLayer(in, out, 1, true, false));
		}

		NDArray forward(NDArray x) {
			NDArray y = conv2.forward(conv1.forward(x));
			return Scalars.times(y.add(skip.forward(x)), (float) (1 / Math.sqrt(2)));
		}
	}

	/** {@code EqualLinear} (lr_mul 1): weight N(0, 1) used × 1/√in, bias, then FusedLeakyReLU's activation or none. */
	static final class EqualLinear extends Module {
		private final Slot weight, bias;
		private final float scale;
		private final boolean lrelu;

		EqualLinear(int in, int out, boolean lrelu) {
			this.scale = (float) (1 / Math.sqrt(in));
			this.lrelu = lrelu;
			weight = parameter("weight", Init.normal(0, 1), out, in);
			bias = parameter("bias", Init.zeros(), out);
		}

		NDArray forward(NDArray x) {
			NDArray y = x.matMul(Scalars.times(weight.local(x), scale).transpose()).add(bias.local(x).reshape(1, -1));
			return lrelu ? Scalars.times(ActivationPattern.lrelu(y), StyleOps.LRELU_GAIN) : y;
		}
	}
}
