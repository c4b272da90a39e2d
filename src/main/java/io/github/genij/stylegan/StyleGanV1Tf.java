package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.TransposedConv2d;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Container;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.WeightTensor;

/**
 * NVIDIA's first StyleGAN as its TensorFlow code builds it ({@code training/networks_stylegan.py}: {@code G_style} with
 * {@code G_mapping} and {@code G_synthesis}), keyed by the pickle's own variable names with '/' read as '.'
 * ({@code synthesis.64x64.Conv0_up.weight}, kernels in TensorFlow's HWIO order, {@code mapping.Dense0.weight},
 * {@code dlatent_avg}), so a pickle's {@code Gs} loads as it is. Equalised learning rate: weights times
 * {@code gain / sqrt(fan_in)} (gain sqrt 2, 1 for styles and RGB), the mapping's also times its lr multiplier (0.01), as
 * are its biases. Every layer ends in the epilogue: noise (the stored {@code noiseN} map, or drawn) times a per-channel
 * weight, bias, lrelu, instance norm (eps 1e-8), then the style {@code x (s0 + 1) + s1}. Up-sampling convolutions are
 * nearest x2 then 3x3 below 128 px, fused from 128 px (the kernel padded and its four shifts summed, a stride-2
 * transposed convolution), each followed by the [1, 2, 1] blur. One style per layer, two layers per resolution.
 */
public final class StyleGanV1Tf extends Module implements StyleGenerator {

	static final float SQRT2 = (float) Math.sqrt(2);

	/** The shape the variables show. */
	static final class Shape2 {
		final int zDim, wDim, fmaps, mappingLayers, channels;
		final int[] widths; // per resolution 4, 8, ...

		Shape2(Map<String, WeightTensor> sd) {
			WeightTensor c = sd.get("synthesis.4x4.Const.const"), d0 = sd.get("mapping.Dense0.weight");
			if (c == null || d0 == null) throw new GenIJException("These variables are not NVIDIA's TensorFlow StyleGAN (v1): synthesis/4x4/Const/const is missing.");
			zDim = (int) d0.shape()[0];
			fmaps = (int) d0.shape()[1];
			int layers = 0;
			while (sd.containsKey("mapping.Dense" + layers + ".weight")) layers++;
			mappingLayers = layers;
			wDim = (int) sd.get("mapping.Dense" + (layers - 1) + ".weight").shape()[1];
			List<Integer> w = new ArrayList<>();
			w.add((int) c.shape()[1]);
			for (int r = 8; sd.containsKey("synthesis." + r + "x" + r + ".Conv1.weight"); r *= 2)
				w.add((int) sd.get("synthesis." + r + "x" + r + ".Conv1.weight").shape()[3]);
			widths = w.stream().mapToInt(Integer::intValue).toArray();
			WeightTensor rgb = sd.get("synthesis.ToRGB_lod0.weight");
			if (rgb == null) throw new GenIJException("These variables lack synthesis/ToRGB_lod0.");
			channels = (int) rgb.shape()[3];
		}
	}

	/** A dense layer's {@code weight [in, out]} and {@code bias [out]}. */
	static final class Dense extends Module {
		final Slot weight, bias;

		Dense(int in, int out) {
			weight = parameter("weight", Init.normal(0, 1), in, out);
			bias = parameter("bias", Init.zeros(), out);
		}

		/** {@code x W gain / sqrt(in) lrmul + b lrmul}. */
		NDArray forward(NDArray x, float gain, float lrmul) {
			float coef = (float) (gain / Math.sqrt(weight.shape()[0]) * lrmul);
			NDArray y = x.matMul(Scalars.times(weight.local(x), coef));
			return y.add(lrmul == 1 ? bias.local(x) : Scalars.times(bias.local(x), lrmul));
		}
	}

	/** The {@code Noise} scope: {@code weight [C]}. */
	static final class NoiseWeight extends Module {
		final Slot weight;

		NoiseWeight(int channels) {
			weight = parameter("weight", Init.zeros(), channels);
		}
	}

	/**
	 * A synthesis layer's scope ({@code Const}, {@code Conv}, {@code Conv0_up}, {@code Conv1}): its kernel
	 * ({@code weight}, HWIO) or {@code const}, {@code bias}, {@code Noise.weight} and {@code StyleMod}.
	 */
	static final class Layer extends Module {
		final Slot kernel, constant, bias;
		final NoiseWeight noise;
		final Dense style;
		final int channels;

		Layer(int in, int channels, int wDim, boolean isConst) {
			this.channels = channels;
			kernel = isConst ? null : parameter("weight", Init.normal(0, 1), 3, 3, in, channels);
			constant = isConst ? parameter("const", Init.ones(), 1, channels, 4, 4) : null;
			bias = parameter("bias", Init.zeros(), channels);
			noise = add("Noise", new NoiseWeight(channels));
			style = add("StyleMod", new Dense(wDim, 2 * channels));
		}

		/** The kernel as OIHW times sqrt 2 / sqrt(fan_in). */
		NDArray oihw(NDArray like) {
			long[] s = kernel.shape();
			return Scalars.times(kernel.local(like).transpose(3, 2, 0, 1), (float) (Math.sqrt(2) / Math.sqrt(s[0] * s[1] * s[2])));
		}

		/** The epilogue: noise, bias, lrelu, instance norm, style. */
		NDArray epilogue(NDArray x, NDArray map, NDArray w) {
			if (map != null) x = x.add(map.mul(noise.weight.local(x).reshape(1, channels, 1, 1)));
			x = Activation.leakyRelu(x.add(bias.local(x).reshape(1, channels, 1, 1)), 0.2f);
			NDArray centred = x.sub(Normalization.mean(x)); // DJL's mean takes one axis: sum over H and W over their count
			x = centred.div(Normalization.mean(centred.square()).add(1e-8f).sqrt());
			NDArray s = style.forward(w, 1, 1).reshape(-1, 2, channels);
			NDArray scale = s.get(":, 0, :").add(1f).reshape(-1, channels, 1, 1), shift = s.get(":, 1, :").reshape(-1, channels, 1, 1);
			return x.mul(scale).add(shift);
		}
	}

	/** {@code ToRGB_lod<k>}: a 1x1 kernel (gain 1) and bias. */
	static final class ToRgb extends Module {
		final Slot weight, bias;

		ToRgb(int in, int channels) {
			weight = parameter("weight", Init.normal(0, 1), 1, 1, in, channels);
			bias = parameter("bias", Init.zeros(), channels);
		}

		NDArray forward(NDArray x) {
			long[] s = weight.shape();
			NDArray w = Scalars.times(weight.local(x).transpose(3, 2, 0, 1), (float) (1 / Math.sqrt(s[2])));
			return Convolutions.conv2d(x, w, bias.local(x), 1, 0);
		}
	}

	private final Shape2 shape;
	private final List<Dense> mapping = new ArrayList<>();
	private final List<Layer> layers = new ArrayList<>();
	private final List<ToRgb> toRgb = new ArrayList<>();
	private final List<Slot> noiseMaps = new ArrayList<>();
	private final Slot wAvg;
	private final float mappingLrMul;
	/** The stage sampled, and the transition's share of it. */
	private GrowthStage growth;

	StyleGanV1Tf(Shape2 shape, float mappingLrMul) {
		this.shape = shape;
		this.mappingLrMul = mappingLrMul;
		Container map = add("mapping", new Container());
		for (int i = 0; i < shape.mappingLayers; i++) {
			int in = i == 0 ? shape.zDim : shape.fmaps, out = i == shape.mappingLayers - 1 ? shape.wDim : shape.fmaps;
			mapping.add(map.put("Dense" + i, new Dense(in, out)));
		}
		Synthesis synthesis = add("synthesis", new Synthesis());
		int n = shape.widths.length;
		for (int i = 0; i < 2 * n; i++) noiseMaps.add(synthesis.noise(i, 4 << (i / 2)));
		for (int k = 0; k < n; k++) {
			int r = 4 << k;
			Container res = synthesis.put(r + "x" + r, new Container());
			if (k == 0) {
				layers.add(res.put("Const", new Layer(0, shape.widths[0], shape.wDim, true)));
				layers.add(res.put("Conv", new Layer(shape.widths[0], shape.widths[0], shape.wDim, false)));
			}
			else {
				layers.add(res.put("Conv0_up", new Layer(shape.widths[k - 1], shape.widths[k], shape.wDim, false)));
				layers.add(res.put("Conv1", new Layer(shape.widths[k], shape.widths[k], shape.wDim, false)));
			}
		}
		for (int k = 0; k < n; k++) toRgb.add(null);
		for (int k = n - 1; k >= 0; k--) toRgb.set(k, synthesis.put("ToRGB_lod" + (n - 1 - k), new ToRgb(shape.widths[k], shape.channels)));
		wAvg = buffer("dlatent_avg", Init.zeros(), shape.wDim);
		growth = GrowthStage.last(shape.widths.length);
	}

	/** {@code G_synthesis}: its layers' scopes, and the stored noise maps {@code noiseN [1, 1, r, r]} as its own buffers. */
	static final class Synthesis extends Container {
		Slot noise(int i, int side) {
			return buffer("noise" + i, Init.normal(0, 1), 1, 1, side, side);
		}
	}

	int maxResolution() {
		return 4 << (shape.widths.length - 1);
	}

	void grownTo(int resolution, double alpha) {
		growth = GrowthStage.at(resolution, alpha, shape.widths.length, "StyleGAN");
	}


	@Override
	public String describe() {
		return String.format(Locale.ROOT, "StyleGAN (v1, NVIDIA TensorFlow) %dx%d%s, %d layers", resolution(), resolution(),
			growth.transition(), numWs());
	}

	@Override
	public int zDim() {
		return shape.zDim;
	}

	@Override
	public int wDim() {
		return shape.wDim;
	}

	/** Two styles per resolution of the whole network (the pickle's dlatents), whatever stage is sampled. */
	@Override
	public int numWs() {
		return 2 * shape.widths.length;
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
	public NDArray w(double[] z, int classIndex, NDManager m) {
		if (z.length != shape.zDim) throw new GenIJException("A latent z has " + z.length + " values; this model takes " + shape.zDim + ".");
		NDArray x = V1Layers.pixelNorm(m.create(NumpyRandom.toFloat32(z), new Shape(1, shape.zDim)).toDevice(device(), false));
		for (Dense d : mapping) x = Activation.leakyRelu(d.forward(x, SQRT2, mappingLrMul), 0.2f);
		return x;
	}

	/** G_style's truncation: {@code lerp(dlatent_avg, w, psi)} for the layers below {@code cutoff}. */
	@Override
	public NDArray ws(NDArray w, double psi, Integer cutoff) {
		return Truncation.apply(w, numWs(), wAvg.local(w), psi, cutoff);
	}


	@Override
	public NDArray synthesise(NDArray ws, Noise noise) {
		NDArray x = null, previous = null;
		for (int i = 0; i < 2 * (growth.index + 1); i++) {
			Layer l = layers.get(i);
			int r = 4 << (i / 2);
			NDArray map = noise.mode == Noise.Mode.NONE ? null
				: noise.mode == Noise.Mode.CONST ? noiseMaps.get(i).local(ws) : noise.draw(ws, r).reshape(1, 1, r, r);
			if (i == 0) x = l.constant.local(ws).repeat(0, ws.getShape().get(0));
			else if (i == 1) x = Convolutions.conv2d(x, l.oihw(x), null, 1, 1);
			else if (i % 2 == 0) {
				previous = x;
				x = blur(upConv(x, l, r >= 128));
			}
			else x = Convolutions.conv2d(x, l.oihw(x), null, 1, 1);
			x = l.epilogue(x, map, ws.get(":, " + i + ", :"));
		}
		NDArray last = previous;
		return growth.blend(toRgb.get(growth.index).forward(x), () -> toRgb.get(growth.index - 1).forward(last));
	}

	/** {@code upscale2d_conv2d}: nearest x2 and the 3x3 kernel, or (fused) one stride-2 transposed convolution. */
	private static NDArray upConv(NDArray x, Layer l, boolean fused) {
		if (!fused) return Convolutions.conv2d(Upsampling.nearest(x, 2), l.oihw(x), null, 1, 1);
		// TensorFlow's kernel [k, k, out, in] padded by one and its four shifts summed: a 4x4 kernel; as PyTorch's
		// transposed-convolution weight [in, out, 4, 4]
		NDArray w = l.oihw(x).transpose(1, 0, 2, 3);
		NDArray p = w.pad(new Shape(1, 1, 1, 1), 0);
		long size = p.getShape().get(2);
		String hi = "1:" + size, lo = "0:" + (size - 1);
		NDArray k = p.get(":, :, " + hi + ", " + hi).add(p.get(":, :, " + lo + ", " + hi)).add(p.get(":, :, " + hi + ", " + lo)).add(p.get(":, :, " + lo + ", " + lo));
		return TransposedConv2d.apply(x, k, null, 2, 1, 0);
	}

	/** The [1, 2, 1] x [1, 2, 1] / 16 blur per channel, 'SAME' padding. */
	private static NDArray blur(NDArray x) {
		long c = x.getShape().get(1);
		float[] k = new float[(int) c * 9];
		float[] f = { 1, 2, 1, 2, 4, 2, 1, 2, 1 };
		for (int i = 0; i < k.length; i++) k[i] = f[i % 9] / 16f;
		NDArray kernel = x.getManager().create(k, new Shape(c, 1, 3, 3)).toType(x.getDataType(), false).toDevice(x.getDevice(), false);
		return Convolutions.conv2d(x, kernel, null, new Shape(1, 1), new Shape(1, 1), (int) c);
	}

	@Override
	public Device device() {
		return wAvg.value().getDevice();
	}
}
