package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Convolutions;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.TransposedConv2d;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Container;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;
import io.github.genij.core.weights.WeightTensor;

/**
 * NVIDIA's ProGAN generator as its TensorFlow code builds it ({@code progressive_growing_of_gans/networks.py}:
 * {@code G_paper}), keyed by the pickle's variable names with '/' read as '.' ({@code 4x4.Dense.weight},
 * {@code 64x64.Conv0_up.weight}, {@code ToRGB_lod0.weight}; kernels in TensorFlow's layouts). z is pixel-normalised,
 * a dense layer (gain sqrt 2 / 4) makes the 4x4 grid, then per resolution an up-sampling convolution (fused: the
 * kernel [k, k, out, in] padded and its four shifts summed, a stride-2 transposed convolution; else nearest x2 and
 * {@code Conv0}) and {@code Conv1}, each with bias, lrelu and pixel norm; weights times gain / sqrt(fan_in). Stages and
 * transitions as the other progressive models; no styles and no noise.
 */
public final class ProGanTf extends ProGanBase {

	/** A scope's {@code weight} and {@code bias}. */
	static final class Layer extends Module {
		final Slot weight, bias;

		Layer(long[] shape, int outputs) {
			weight = parameter("weight", Init.normal(0, 1), shape);
			bias = parameter("bias", Init.zeros(), outputs);
		}

		/** A HWIO kernel as OIHW times gain / sqrt(fan_in). */
		NDArray oihw(NDArray like, double gain) {
			long[] s = weight.shape();
			return Scalars.times(weight.local(like).transpose(3, 2, 0, 1), (float) (gain / Math.sqrt(s[0] * s[1] * s[2])));
		}

		NDArray bias(NDArray x) {
			return x.add(bias.local(x).reshape(1, -1, 1, 1));
		}
	}

	private final int zDim, channels, depth0;
	private final boolean fused;
	private final Layer dense, conv;
	private final List<Layer[]> blocks = new ArrayList<>();
	private final List<Layer> toRgb = new ArrayList<>();
	/** The stage sampled, and the transition's share of it. */
	private GrowthStage growth;

	ProGanTf(Map<String, WeightTensor> sd) {
		WeightTensor d = sd.get("4x4.Dense.weight"), rgb = sd.get("ToRGB_lod0.weight");
		if (d == null || rgb == null) throw new GenIJException("These variables are not NVIDIA's ProGAN generator (4x4/Dense, ToRGB_lod0).");
		zDim = (int) d.shape()[0];
		depth0 = (int) (d.shape()[1] / 16);
		channels = (int) rgb.shape()[3];
		fused = sd.containsKey("8x8.Conv0_up.weight");
		List<Integer> widths = new ArrayList<>();
		widths.add(depth0);
		for (int r = 8; sd.containsKey(r + "x" + r + ".Conv1.weight"); r *= 2) widths.add((int) sd.get(r + "x" + r + ".Conv1.weight").shape()[3]);
		int n = widths.size();
		Container c4 = add("4x4", new Container());
		dense = c4.put("Dense", new Layer(new long[] { zDim, 16L * depth0 }, depth0));
		conv = c4.put("Conv", new Layer(new long[] { 3, 3, depth0, depth0 }, depth0));
		for (int k = 1; k < n; k++) {
			int r = 4 << k, in = widths.get(k - 1), out = widths.get(k);
			Container res = add(r + "x" + r, new Container());
			Layer up = fused ? res.put("Conv0_up", new Layer(new long[] { 3, 3, out, in }, out)) : res.put("Conv0", new Layer(new long[] { 3, 3, in, out }, out));
			blocks.add(new Layer[] { up, res.put("Conv1", new Layer(new long[] { 3, 3, out, out }, out)) });
		}
		for (int k = 0; k < n; k++) toRgb.add(null);
		for (int k = n - 1; k >= 0; k--) toRgb.set(k, add("ToRGB_lod" + (n - 1 - k), new Layer(new long[] { 1, 1, widths.get(k), channels }, channels)));
		growth = GrowthStage.last(blocks.size() + 1);
	}

	int maxResolution() {
		return 4 << blocks.size();
	}

	void grownTo(int resolution, double alpha) {
		growth = GrowthStage.at(resolution, alpha, blocks.size() + 1, "ProGAN");
	}

	private static NDArray act(NDArray x) {
		return V1Layers.pixelNorm(Activation.leakyRelu(x, 0.2f));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "ProGAN (NVIDIA TensorFlow) %dx%d%s, %d-dim z", resolution(), resolution(),
			growth.transition(), zDim);
	}

	@Override
	public int zDim() {
		return zDim;
	}

	@Override
	public int imageChannels() {
		return channels;
	}

	@Override
	public int resolution() {
		return growth.resolution();
	}

	@Override
	public NDArray synthesise(NDArray ws, Noise noise) {
		NDArray z = V1Layers.pixelNorm(ws.get(":, 0, :"));
		float c = (float) (Math.sqrt(2) / 4 / Math.sqrt(zDim));
		NDArray x = z.matMul(Scalars.times(dense.weight.local(z), c)).reshape(-1, depth0, 4, 4);
		x = act(dense.bias(x));
		x = act(conv.bias(Convolutions.conv2d(x, conv.oihw(x, Math.sqrt(2)), null, 1, 1)));
		NDArray previous = x;
		for (int k = 0; k < growth.index; k++) {
			previous = x;
			Layer[] b = blocks.get(k);
			x = act(b[0].bias(upConv(x, b[0])));
			x = act(b[1].bias(Convolutions.conv2d(x, b[1].oihw(x, Math.sqrt(2)), null, 1, 1)));
		}
		NDArray last = previous;
		return growth.blend(toRgb(growth.index, x), () -> toRgb(growth.index - 1, last));
	}

	private NDArray toRgb(int k, NDArray x) {
		Layer l = toRgb.get(k);
		return l.bias(Convolutions.conv2d(x, l.oihw(x, 1), null, 1, 0));
	}

	/** {@code upscale2d_conv2d}: the kernel [k, k, out, in] (fan_in k² in) padded, its four shifts summed, stride 2; else nearest x2 and a 3x3. */
	private NDArray upConv(NDArray x, Layer l) {
		if (!fused) return Convolutions.conv2d(Upsampling.nearest(x, 2), l.oihw(x, Math.sqrt(2)), null, 1, 1);
		long[] s = l.weight.shape(); // [k, k, out, in]
		NDArray w = Scalars.times(l.weight.local(x).transpose(3, 2, 0, 1), (float) (Math.sqrt(2) / Math.sqrt(s[0] * s[1] * s[3]))); // [in, out, k, k]
		NDArray p = w.pad(new Shape(1, 1, 1, 1), 0);
		long size = p.getShape().get(2);
		String hi = "1:" + size, lo = "0:" + (size - 1);
		NDArray k = p.get(":, :, " + hi + ", " + hi).add(p.get(":, :, " + lo + ", " + hi)).add(p.get(":, :, " + hi + ", " + lo)).add(p.get(":, :, " + lo + ", " + lo));
		return TransposedConv2d.apply(x, k, null, 2, 1, 0);
	}

	@Override
	public Device device() {
		return dense.weight.value().getDevice();
	}
}
