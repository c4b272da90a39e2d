package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Container;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.WeightTensor;

/**
 * rosinality's first StyleGAN ({@code style-based-gan-pytorch}'s {@code StyledGenerator}), keyed as its state dict: a
 * mapping network {@code style} (pixel norm, then equal-lr linear layers with lrelu) and a progressive synthesis
 * {@code generator} of styled blocks from 4x4 up ({@code progression.i}: a learned constant or an up-sampling
 * convolution and blur, then twice noise, lrelu and AdaIN), each with its own {@code to_rgb}. One style per block
 * (both AdaINs of a block take it) and one noise map per block (both noise injections of a block add it, each with
 * its own weight). Any grown resolution can be sampled, and a transition blends the last block's RGB with the one
 * before it, up-sampled: {@code (1 - alpha) skip + alpha new}.
 */
public final class StyleGanV1 extends Module implements StyleGenerator {

	/** The shape read from a state dict. */
	static final class Shape1 {
		final int styleDim, mappingLayers;
		final int[] widths;
		final boolean[] fused;

		Shape1(int styleDim, int mappingLayers, int[] widths, boolean[] fused) {
			this.styleDim = styleDim;
			this.mappingLayers = mappingLayers;
			this.widths = widths;
			this.fused = fused;
		}

		/** The shape a card's parameters record (see StyleGanFamily's detection). */
		static Shape1 fromParameters(Map<String, Object> p) {
			List<?> w = (List<?>) p.get("widths"), f = (List<?>) p.get("fused");
			if (w == null || f == null || w.size() != f.size()) throw new GenIJException("The StyleGAN v1 card lacks its widths.");
			int[] widths = new int[w.size()];
			boolean[] fused = new boolean[f.size()];
			for (int i = 0; i < widths.length; i++) {
				widths[i] = ((Number) w.get(i)).intValue();
				fused[i] = Boolean.TRUE.equals(f.get(i));
			}
			return new Shape1(((Number) p.get("style_dim")).intValue(), ((Number) p.get("mapping_layers")).intValue(), widths, fused);
		}

		/** Widths, fusion and mapping depth as the keys show them. */
		static Shape1 of(Map<String, WeightTensor> sd) {
			WeightTensor input = sd.get("generator.progression.0.conv1.input");
			if (input == null) throw new GenIJException("These weights are not rosinality's StyleGAN (v1): generator.progression.0.conv1.input is missing.");
			List<Integer> widths = new ArrayList<>();
			List<Boolean> fused = new ArrayList<>();
			widths.add((int) input.shape()[1]);
			fused.add(false);
			for (int i = 1; sd.containsKey("generator.progression." + i + ".conv2.conv.weight_orig"); i++) {
				widths.add((int) sd.get("generator.progression." + i + ".conv2.conv.weight_orig").shape()[0]);
				fused.add(sd.containsKey("generator.progression." + i + ".conv1.0.weight"));
			}
			int layers = 0;
			while (sd.containsKey("style." + (2 * layers + 1) + ".linear.weight_orig")) layers++;
			if (layers == 0) throw new GenIJException("These weights are not rosinality's StyleGAN (v1): its mapping network (style.1.linear) is missing.");
			int dim = (int) sd.get("style.1.linear.weight_orig").shape()[1];
			int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
			boolean[] f = new boolean[fused.size()];
			for (int i = 0; i < f.length; i++) f[i] = fused.get(i);
			return new Shape1(dim, layers, w, f);
		}
	}

	/** rosinality's {@code StyledConvBlock}. */
	static final class Block extends Module {
		private final io.github.genij.core.nn.module.Slot constant;
		private final V1Layers.EqualConv upConv, conv2;
		private final V1Layers.FusedUpsample fusedUp;
		private final V1Layers.Blur blur;
		private final V1Layers.NoiseInjection noise1, noise2;
		private final V1Layers.AdaIn adain1, adain2;

		Block(int in, int out, int styleDim, boolean initial, boolean fused) {
			if (initial) {
				Module holder = add("conv1", new ConstantInput(out));
				constant = ((ConstantInput) holder).input;
				upConv = null;
				fusedUp = null;
				blur = null;
			}
			else {
				Container seq = add("conv1", new Container());
				constant = null;
				if (fused) {
					fusedUp = seq.put("0", new V1Layers.FusedUpsample(in, out, 3));
					blur = seq.put("1", new V1Layers.Blur(out));
					upConv = null;
				}
				else {
					upConv = seq.put("1", new V1Layers.EqualConv(in, out, 3, 1)); // "0" is the parameter-free nn.Upsample
					blur = seq.put("2", new V1Layers.Blur(out));
					fusedUp = null;
				}
			}
			noise1 = add("noise1", new V1Layers.NoiseInjection(out));
			adain1 = add("adain1", new V1Layers.AdaIn(out, styleDim));
			conv2 = add("conv2", new V1Layers.EqualConv(out, out, 3, 1));
			noise2 = add("noise2", new V1Layers.NoiseInjection(out));
			adain2 = add("adain2", new V1Layers.AdaIn(out, styleDim));
		}

		NDArray forward(NDArray x, NDArray style, NDArray noise, long batch) {
			NDArray out;
			if (constant != null) out = constant.local(style).repeat(0, batch);
			else if (fusedUp != null) out = blur.forward(fusedUp.forward(x));
			else out = blur.forward(upConv.forward(V1Layers.upsampleNearest(x)));
			out = adain1.forward(V1Layers.lrelu(noise1.forward(out, noise)), style);
			out = conv2.forward(out);
			return adain2.forward(V1Layers.lrelu(noise2.forward(out, noise)), style);
		}
	}

	/** {@code ConstantInput}: {@code input [1, C, 4, 4]}. */
	static final class ConstantInput extends Module {
		final io.github.genij.core.nn.module.Slot input;

		ConstantInput(int channels) {
			input = parameter("input", io.github.genij.core.nn.module.Init.normal(0, 1), 1, channels, 4, 4);
		}
	}

	private final Shape1 shape;
	private final List<Block> blocks = new ArrayList<>();
	private final List<V1Layers.EqualConv> toRgb = new ArrayList<>();
	private final List<V1Layers.EqualLinear> mapping = new ArrayList<>();
	/** The stage sampled, and the transition's share of it. */
	private GrowthStage growth;
	/** The style truncation pulls towards ({@code [1, styleDim]}); null until set. */
	private NDArray meanStyle;

	StyleGanV1(Shape1 shape) {
		this.shape = shape;
		Container style = add("style", new Container());
		for (int i = 0; i < shape.mappingLayers; i++) mapping.add(style.put(String.valueOf(2 * i + 1), new V1Layers.EqualLinear(shape.styleDim, shape.styleDim)));
		Container generator = add("generator", new Container());
		Container progression = generator.put("progression", new Container()), rgb = generator.put("to_rgb", new Container());
		for (int i = 0; i < shape.widths.length; i++) {
			blocks.add(progression.put(String.valueOf(i), new Block(i == 0 ? shape.widths[0] : shape.widths[i - 1], shape.widths[i], shape.styleDim,
				i == 0, shape.fused[i])));
			toRgb.add(rgb.put(String.valueOf(i), new V1Layers.EqualConv(shape.widths[i], 3, 1, 0)));
		}
		growth = GrowthStage.last(shape.widths.length);
	}

	/** The largest resolution the blocks reach (a rosinality file always holds all of them, trained or not). */
	int maxResolution() {
		return 4 << (shape.widths.length - 1);
	}

	/**
	 * Samples at {@code resolution} (4, 8, ... up to {@link #maxResolution}) with {@code alpha} the share of that
	 * resolution's own block in a transition (1: fully grown).
	 */
	void grownTo(int resolution, double alpha) {
		growth = GrowthStage.at(resolution, alpha, shape.widths.length, "StyleGAN");
	}


	/** Truncation pulls towards {@code style} ({@code styleDim} values). */
	void meanStyle(float[] style, NDManager m) {
		if (style.length != shape.styleDim) {
			throw new GenIJException("The mean style has " + style.length + " values; this StyleGAN's styles have " + shape.styleDim + ".");
		}
		if (meanStyle != null) meanStyle.close();
		meanStyle = m.create(style, new Shape(1, shape.styleDim)).toDevice(device(), false);
	}

	/** The mean style of {@code samples} z drawn from {@code RandomState(seed)} (rosinality's generate.py averages 10 x 1024 fresh ones). */
	float[] estimateMeanStyle(int samples, long seed, NDManager m) {
		try (NDManager tmp = m.newSubManager()) {
			float[] z = NumpyRandom.randnFloat32(seed, samples * shape.styleDim);
			NDArray styles = map(tmp.create(z, new Shape(samples, shape.styleDim)).toDevice(device(), false));
			return styles.sum(new int[] { 0 }).div(samples).toFloatArray();
		}
	}

	private NDArray map(NDArray z) {
		NDArray x = V1Layers.pixelNorm(z);
		for (V1Layers.EqualLinear l : mapping) x = V1Layers.lrelu(l.forward(x));
		return x;
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "StyleGAN (v1, rosinality) %dx%d%s, %d-dim styles, %d mapping layers", resolution(), resolution(),
			growth.transition(), shape.styleDim, shape.mappingLayers);
	}

	@Override
	public int zDim() {
		return shape.styleDim;
	}

	@Override
	public int wDim() {
		return shape.styleDim;
	}

	@Override
	public int numWs() {
		return growth.index + 1;
	}

	@Override
	public int imageChannels() {
		return 3;
	}

	@Override
	public int resolution() {
		return growth.resolution();
	}

	@Override
	public NDArray w(double[] z, int classIndex, NDManager m) {
		if (z.length != shape.styleDim) throw new GenIJException("A latent z has " + z.length + " values; this model takes " + shape.styleDim + ".");
		return map(m.create(NumpyRandom.toFloat32(z), new Shape(1, shape.styleDim)).toDevice(device(), false));
	}

	/** One style per block, {@code mean + psi (style - mean)} for the first {@code cutoff} blocks (rosinality's style_weight). */
	@Override
	public NDArray ws(NDArray w, double psi, Integer cutoff) {
		if (psi != 1 && meanStyle == null) throw new IllegalStateException("no mean style to truncate towards");
		NDArray mean = psi == 1 ? null : meanStyle.duplicate();
		if (mean != null) mean.attach(w.getManager());
		return Truncation.apply(w, numWs(), mean, psi, cutoff);
	}


	/** rosinality's files store no noise: {@code const} draws from the seed as {@code random} does. */
	@Override
	public Noise noise(String mode, long seed) {
		Noise n = StyleGenerator.super.noise(mode, seed);
		return n.mode == Noise.Mode.CONST ? Noise.of("random", seed) : n;
	}

	/** The image at the chosen resolution: block i takes style i and noise map i ({@code 4 * 2^i} square). */
	@Override
	public NDArray synthesise(NDArray ws, Noise noise) {
		NDArray out = null, previous = null;
		for (int i = 0; i <= growth.index; i++) {
			NDArray style = ws.get(":, " + i + ", :");
			NDArray map = noise.mode == Noise.Mode.NONE ? null : noise.draw(ws, 4 << i).reshape(1, 1, 4 << i, 4 << i);
			previous = out;
			out = blocks.get(i).forward(out, style, map, ws.getShape().get(0));
		}
		NDArray last = previous;
		return growth.blend(toRgb.get(growth.index).forward(out), () -> toRgb.get(growth.index - 1).forward(last));
	}

	@Override
	public Device device() {
		return blocks.get(0).constant.value().getDevice();
	}

	@Override
	public void close() {
		if (meanStyle != null) meanStyle.close();
		super.close();
	}
}
