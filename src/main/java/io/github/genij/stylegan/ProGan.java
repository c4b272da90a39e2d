package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Container;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.weights.WeightTensor;

/**
 * ProGAN as facebookresearch/pytorch_GAN_zoo builds it ({@code GNet}), keyed as its state dict: z pixel-normalised, a
 * linear {@code formatLayer} to a 4x4 grid, {@code groupScale0} (one 3x3 convolution), then per grown scale
 * ({@code scaleLayers.k}) nearest x2 and two 3x3 convolutions, each followed by lrelu and pixel norm, and a 1x1
 * {@code toRGBLayers.k} per scale. Its equalised layers multiply the layer's whole output, bias included, by
 * sqrt(2 / fan_in). Any grown scale can be sampled; in a transition the newest scale's RGB is blended with the one
 * before it, up-sampled, {@code alpha} being the newest's share (the zoo's own alpha is the other share). No style
 * space, no noise: mixing and truncation are refused.
 */
public final class ProGan extends ProGanBase {

	/** A zoo {@code ConstrainedLayer}: {@code module.weight}, {@code module.bias}; output x sqrt(2 / fan_in). */
	static final class Equalized extends Module {
		private final Inner module;

		Equalized(long[] weightShape) {
			module = add("module", new Inner(weightShape));
		}

		static final class Inner extends Module {
			final Slot weight, bias;
			final float scale;
			final int padding;

			Inner(long[] shape) {
				weight = parameter("weight", Init.normal(0, 1), shape);
				bias = parameter("bias", Init.zeros(), shape[0]);
				long fanIn = 1;
				for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
				scale = (float) Math.sqrt(2.0 / fanIn);
				padding = shape.length == 4 ? (int) shape[2] / 2 : 0;
			}
		}

		NDArray forward(NDArray x) {
			Inner m = module;
			NDArray y = m.weight.shape().length == 2 ? x.matMul(m.weight.local(x).transpose()).add(m.bias.local(x))
				: Convolutions.conv2d(x, m.weight.local(x), m.bias.local(x), 1, m.padding);
			return Scalars.times(y, m.scale);
		}
	}

	/** The shape read from the keys. */
	static final class Shape0 {
		final int zDim, depth0, channels;
		final int[] depths;

		/** A new network's shape: z size, the 4x4 scale's depth, image channels, the grown scales' depths (8x8 first). */
		static Shape0 of(int zDim, int depth0, int channels, int[] depths) {
			return new Shape0(zDim, depth0, channels, depths.clone());
		}

		/** The same network grown to its first {@code scales} added scales. */
		Shape0 upTo(int scales) {
			return new Shape0(zDim, depth0, channels, java.util.Arrays.copyOf(depths, scales));
		}

		private Shape0(int zDim, int depth0, int channels, int[] depths) {
			this.zDim = zDim;
			this.depth0 = depth0;
			this.channels = channels;
			this.depths = depths;
		}

		/** The shape a card records (see StyleGanFamily's detection). */
		static Shape0 fromParameters(Map<String, Object> p) {
			java.util.List<?> d = (java.util.List<?>) p.get("depths");
			if (d == null) throw new GenIJException("The ProGAN card lacks its scales' depths.");
			return new Shape0(((Number) p.get("z_dim")).intValue(), ((Number) p.get("depth0")).intValue(), ((Number) p.get("channels")).intValue(),
				d.stream().mapToInt(x -> ((Number) x).intValue()).toArray());
		}

		Shape0(Map<String, WeightTensor> sd) {
			WeightTensor format = sd.get("formatLayer.module.weight"), rgb = sd.get("toRGBLayers.0.module.weight");
			if (format == null || rgb == null) throw new GenIJException("These weights are not a pytorch_GAN_zoo PGAN generator (formatLayer, toRGBLayers).");
			zDim = (int) format.shape()[1];
			depth0 = (int) (format.shape()[0] / 16);
			channels = (int) rgb.shape()[0];
			List<Integer> d = new ArrayList<>();
			while (sd.containsKey("scaleLayers." + d.size() + ".0.module.weight")) d.add((int) sd.get("scaleLayers." + d.size() + ".0.module.weight").shape()[0]);
			depths = d.stream().mapToInt(Integer::intValue).toArray();
		}
	}

	private final Shape0 shape;
	private final Equalized format;
	private final Equalized scale0;
	private final List<Equalized[]> scales = new ArrayList<>();
	private final List<Equalized> toRgb = new ArrayList<>();
	private final float leak;
	private final boolean tanh;
	/** The stage sampled, and the transition's share of it. */
	private GrowthStage growth;

	ProGan(Shape0 shape, float leak, boolean tanh) {
		this.shape = shape;
		this.leak = leak;
		this.tanh = tanh;
		format = add("formatLayer", new Equalized(new long[] { 16L * shape.depth0, shape.zDim }));
		Container group0 = add("groupScale0", new Container());
		scale0 = group0.put("0", new Equalized(new long[] { shape.depth0, shape.depth0, 3, 3 }));
		Container layers = add("scaleLayers", new Container()), rgb = add("toRGBLayers", new Container());
		toRgb.add(rgb.put("0", new Equalized(new long[] { shape.channels, shape.depth0, 1, 1 })));
		int last = shape.depth0;
		for (int k = 0; k < shape.depths.length; k++) {
			Container s = layers.put(String.valueOf(k), new Container());
			int d = shape.depths[k];
			scales.add(new Equalized[] { s.put("0", new Equalized(new long[] { d, last, 3, 3 })), s.put("1", new Equalized(new long[] { d, d, 3, 3 })) });
			toRgb.add(rgb.put(String.valueOf(k + 1), new Equalized(new long[] { shape.channels, d, 1, 1 })));
			last = d;
		}
		growth = GrowthStage.last(shape.depths.length + 1);
	}

	int maxResolution() {
		return 4 << shape.depths.length;
	}

	/** Samples at {@code resolution} (4 up to the grown one) with {@code alpha} the newest scale's share. */
	void grownTo(int resolution, double alpha) {
		growth = GrowthStage.at(resolution, alpha, shape.depths.length + 1, "ProGAN");
	}

	private NDArray act(NDArray x) {
		return V1Layers.pixelNorm(Activation.leakyRelu(x, leak));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "ProGAN (pytorch_GAN_zoo) %dx%d%s, %d-dim z", resolution(), resolution(),
			growth.transition(), shape.zDim);
	}

	@Override
	public int zDim() {
		return shape.zDim;
	}

	@Override
	public int imageChannels() {
		return shape.channels;
	}

	@Override
	public int resolution() {
		return growth.resolution();
	}

	@Override
	public NDArray synthesise(NDArray ws, Noise noise) {
		NDArray z = ws.get(":, 0, :");
		NDArray x = Activation.leakyRelu(format.forward(V1Layers.pixelNorm(z)), leak).reshape(-1, shape.depth0, 4, 4);
		x = act(scale0.forward(V1Layers.pixelNorm(x)));
		NDArray previous = x;
		for (int k = 0; k < growth.index; k++) {
			previous = x;
			x = V1Layers.upsampleNearest(x);
			for (Equalized conv : scales.get(k)) x = act(conv.forward(x));
		}
		NDArray last = previous;
		NDArray rgb = growth.blend(toRgb.get(growth.index).forward(x), () -> toRgb.get(growth.index - 1).forward(last));
		return tanh ? rgb.tanh() : rgb;
	}

	@Override
	public Device device() {
		return format.module.weight.value().getDevice();
	}
}
