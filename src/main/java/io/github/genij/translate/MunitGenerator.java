package io.github.genij.translate;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Upsample;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.translate.MunitParts.Activ;
import io.github.genij.translate.MunitParts.AdaIn;
import io.github.genij.translate.MunitParts.ConvBlock;
import io.github.genij.translate.MunitParts.LinearBlock;
import io.github.genij.translate.MunitParts.ResBlocks;
import io.github.genij.translate.MunitParts.Wrapped;

/**
 * One domain's generator of NVlabs/MUNIT ({@code AdaINGen}: {@code enc_style}, {@code enc_content}, {@code dec},
 * {@code mlp}) or mingyuliutw/UNIT ({@code VAEGen}: {@code enc}, {@code dec}), keyed as the reference's state dict.
 * The content encoder: a 7×7 block, stride-2 4×4 blocks, residual blocks, all with instance norm; the decoder:
 * residual blocks (MUNIT: AdaIN whose scale and shift the MLP makes from a style code; UNIT: instance norm), nearest
 * up-sampling with 5×5 blocks in MUNIT's layer norm, a 7×7 block with tanh; MUNIT's style encoder: a 7×7 block,
 * stride-2 blocks without norm, the global mean and a 1×1 convolution to the style code.
 */
public final class MunitGenerator extends Module {

	public final boolean munit;
	public final int inputDim, dim, downsamplings, residualBlocks, styleDim, styleDownsamplings;
	private final Wrapped styleEncoder, contentEncoder, decoder, mlp;

	/** @param styleDim 0 for UNIT; styleDowns, mlpDim, mlpBlocks MUNIT's style encoder and MLP */
	MunitGenerator(int inputDim, int dim, int downs, int res, int styleDim, int styleDowns, int mlpDim, int mlpBlocks, Activ activ,
		boolean reflect)
	{
		this.munit = styleDim > 0;
		this.inputDim = inputDim;
		this.dim = dim;
		this.downsamplings = downs;
		this.residualBlocks = res;
		this.styleDim = styleDim;
		this.styleDownsamplings = styleDowns;
		if (munit) {
			styleEncoder = add("enc_style", new Wrapped());
			int d = dim;
			styleEncoder.model.append(new ConvBlock(inputDim, d, 7, 1, 3, "none", activ, reflect));
			for (int i = 0; i < styleDowns; i++) {
				int next = i < 2 ? 2 * d : d;
				styleEncoder.model.append(new ConvBlock(d, next, 4, 2, 1, "none", activ, reflect));
				d = next;
			}
			styleEncoder.model.append(new MunitParts.GlobalMean());
			styleEncoder.model.append(new Conv(d, styleDim, 1, 1, 0, true));
		}
		else styleEncoder = null;
		contentEncoder = add(munit ? "enc_content" : "enc", new Wrapped());
		int d = dim;
		contentEncoder.model.append(new ConvBlock(inputDim, d, 7, 1, 3, "in", activ, reflect));
		for (int i = 0; i < downs; i++, d *= 2) contentEncoder.model.append(new ConvBlock(d, 2 * d, 4, 2, 1, "in", activ, reflect));
		contentEncoder.model.append(new ResBlocks(res, d, "in", activ, reflect));
		decoder = add("dec", new Wrapped());
		decoder.model.append(new ResBlocks(res, d, munit ? "adain" : "in", activ, reflect));
		for (int i = 0; i < downs; i++, d /= 2) {
			decoder.model.append(new Upsample(2));
			decoder.model.append(new ConvBlock(d, d / 2, 5, 1, 2, "ln", activ, reflect));
		}
		decoder.model.append(new ConvBlock(d, inputDim, 7, 1, 3, "none", Activ.TANH, reflect));
		if (munit) {
			mlp = add("mlp", new Wrapped());
			int adain = 0;
			for (AdaIn a : decoder.modulesOf(AdaIn.class)) adain += 2 * a.channels;
			mlp.model.append(new LinearBlock(styleDim, mlpDim, activ));
			for (int i = 0; i < mlpBlocks - 2; i++) mlp.model.append(new LinearBlock(mlpDim, mlpDim, activ));
			mlp.model.append(new LinearBlock(mlpDim, adain, Activ.NONE));
		}
		else mlp = null;
	}

	/** The generator whose state dict this is (one domain's: the checkpoint's {@code a} or {@code b}). */
	public static MunitGenerator of(Map<String, WeightTensor> sd, Activ activ, boolean reflect) {
		boolean munit = sd.containsKey("enc_style.model.0.conv.weight");
		String enc = munit ? "enc_content" : "enc";
		WeightTensor first = sd.get(enc + ".model.0.conv.weight");
		if (first == null) throw new GenIJException("These weights are not a MUNIT or UNIT generator (no enc_content or enc).");
		int downs = 0;
		while (sd.containsKey(enc + ".model." + (downs + 1) + ".conv.weight")) downs++;
		int res = 0;
		while (sd.containsKey(enc + ".model." + (downs + 1) + ".model." + res + ".model.0.conv.weight")) res++;
		int styleDim = 0, styleDowns = 0, mlpDim = 0, mlpBlocks = 0;
		if (munit) {
			while (sd.containsKey("enc_style.model." + (styleDowns + 1) + ".conv.weight")) styleDowns++;
			WeightTensor last = sd.get("enc_style.model." + (styleDowns + 2) + ".weight");
			if (last == null) throw new GenIJException("The MUNIT style encoder lacks its last 1x1 convolution (enc_style.model." + (styleDowns + 2) + ").");
			styleDim = (int) last.shape()[0];
			while (sd.containsKey("mlp.model." + mlpBlocks + ".fc.weight")) mlpBlocks++;
			mlpDim = (int) sd.get("mlp.model.0.fc.weight").shape()[0];
		}
		return new MunitGenerator((int) first.shape()[1], (int) first.shape()[0], downs, res, styleDim, styleDowns, mlpDim, mlpBlocks, activ,
			reflect);
	}

	/** The content code of an image {@code [1, C, H, W]} in -1..1. */
	public NDArray content(NDArray image) {
		return contentEncoder.forward(image);
	}

	/** MUNIT: the style code {@code [1, styleDim, 1, 1]} of an image of this generator's domain. */
	public NDArray style(NDArray image) {
		if (!munit) throw new GenIJException("UNIT has no style codes.");
		return styleEncoder.forward(image);
	}

	/**
	 * The image for a content code; MUNIT with a style code ({@code [1, styleDim]} or {@code [1, styleDim, 1, 1]}):
	 * the MLP's output handed to the decoder's AdaIN layers in order, each taking its means (bias) first, then its
	 * standard deviations (weight).
	 */
	public NDArray decode(NDArray content, NDArray style) {
		if (munit) {
			if (style == null) throw new GenIJException("MUNIT decodes with a style code.");
			NDArray params = mlp.forward(style.reshape(1, -1));
			int at = 0;
			List<AdaIn> layers = decoder.modulesOf(AdaIn.class);
			for (AdaIn a : layers) {
				a.assign(params.get(":, " + at + ":" + (at + a.channels)).reshape(-1), params.get(":, " + (at + a.channels) + ":" + (at + 2 * a.channels)).reshape(-1));
				at += 2 * a.channels;
			}
		}
		return decoder.forward(content);
	}

	/** Sides are cut to multiples of this (each stride-2 block halves them, rounding down). */
	public int multiple() {
		return 1 << downsamplings;
	}
}
