package io.github.genij.seg2photo;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Linear;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * ZPdesu/SEAN's {@code ACE} norm: the input (plus per-pixel noise × {@code noise_var}, when asked) through a
 * parameter-free batch norm, then a scale and shift that blend two sources with learned weights σ(blending_γ),
 * σ(blending_β): SPADE's γ and β from the label map ({@code Spade}), and γ and β from the style codes painted into
 * their regions: region j (label j) gets relu(fc_mu_j(code_j)), a map of style-length channels, through the 3×3
 * convolutions {@code conv_gamma} and {@code conv_beta}. The reference always holds 19 fc_mu layers (label j
 * uses {@code fc_mu<j>}); the last block's ACE ({@code use_rgb=False}) has only SPADE's part.
 */
final class SeanAce extends Module {

	static final int STYLE_LAYERS = 19;

	final int channels, styleLength;
	private final SpadeNorm spade;
	private final Slot blendingGamma, blendingBeta, noiseVar;
	private final BatchNorm norm;
	private final List<Linear> fcMu = new ArrayList<>();
	private final Conv convGamma, convBeta;

	/** @param styleLength 0 for an ACE without the style part (SEAN's up_3) */
	SeanAce(int channels, int labelChannels, int styleLength) {
		this.channels = channels;
		this.styleLength = styleLength;
		spade = add("Spade", new SpadeNorm(channels, labelChannels, SpadeNorm.Naming.SPADE));
		blendingGamma = parameter("blending_gamma", Init.zeros(), 1);
		blendingBeta = parameter("blending_beta", Init.zeros(), 1);
		noiseVar = parameter("noise_var", Init.zeros(), channels);
		norm = add("param_free_norm", new BatchNorm(channels, false));
		if (styleLength > 0) for (int j = 0; j < STYLE_LAYERS; j++) fcMu.add(add("fc_mu" + j, new Linear(styleLength, styleLength, true)));
		convGamma = styleLength > 0 ? add("conv_gamma", new Conv(styleLength, channels, 3, 1, 1, true)) : null;
		convBeta = styleLength > 0 ? add("conv_beta", new Conv(styleLength, channels, 3, 1, 1, true)) : null;
	}

	/**
	 * @param codes the style code of every label channel ({@code [S, styleLength]}; a zero row for a label without one)
	 * @param noise a per-pixel map {@code [1, 1, H, W]} scaled by noise_var per channel, or null for none
	 */
	NDArray forward(NDArray x, Labels labels, NDArray codes, NDArray noise) {
		NDArray in = noise == null ? x : x.add(noise.mul(noiseVar.local(x).reshape(1, channels, 1, 1)));
		NDArray normalized = norm.forward(in);
		NDArray[] spadeParams = spade.gammaBeta(x, labels);
		if (convGamma == null) return normalized.mul(spadeParams[0].add(1f)).add(spadeParams[1]);
		long h = x.getShape().get(2), w = x.getShape().get(3);
		NDArray seg = labels.at(h, w); // [1, S, h, w], one-hot
		long s = seg.getShape().get(1);
		NDList columns = new NDList();
		for (int j = 0; j < s; j++) columns.add(Activation.relu(fcMu.get(j).forward(codes.get(j + ":" + (j + 1)))));
		NDArray perLabel = NDArrays.concat(columns, 0).transpose(); // [L, S]: each label's vector, painted by its one-hot map
		NDArray middle = perLabel.matMul(seg.reshape(s, h * w)).reshape(1, styleLength, h, w);
		NDArray ga = Activation.sigmoid(blendingGamma.local(x));
		NDArray gb = Activation.sigmoid(blendingBeta.local(x));
		NDArray gamma = convGamma.forward(middle).mul(ga).add(spadeParams[0].mul(ga.neg().add(1f)));
		NDArray beta = convBeta.forward(middle).mul(gb).add(spadeParams[1].mul(gb.neg().add(1f)));
		return normalized.mul(gamma.add(1f)).add(beta);
	}
}
