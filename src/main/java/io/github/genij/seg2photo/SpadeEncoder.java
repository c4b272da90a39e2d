package io.github.genij.seg2photo;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Linear;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;

/**
 * NVlabs/SPADE's style encoder for models trained with {@code --use_vae} ({@code ConvEncoder}, {@code latest_net_E.pth}),
 * keyed as its state dict ({@code layer1.0.weight}, ..., {@code fc_mu.weight}): the style image resized to 256×256
 * (bilinear), six 3×3 stride-2 convolutions (spectral norm, folded at load with the stored u and v) each followed by a
 * parameter-free instance norm, lrelu 0.2 between them, and {@code fc_mu} from the 4×4 map to the style vector.
 * {@code fc_var} is loaded but unused: GenIJ takes the mean, where the reference adds a random ε·σ at every run.
 */
public final class SpadeEncoder extends Module {

	public final int ndf, zDim;
	private final Sequential[] layers = new Sequential[6];
	private final Linear mu;

	public SpadeEncoder(int ndf, int zDim) {
		this.ndf = ndf;
		this.zDim = zDim;
		int[] widths = { 3, ndf, ndf * 2, ndf * 4, ndf * 8, ndf * 8, ndf * 8 };
		for (int i = 0; i < 6; i++)
			layers[i] = add("layer" + (i + 1), new Sequential(new Conv(widths[i], widths[i + 1], 3, 2, 1, true), new InstanceNorm(widths[i + 1], false)));
		mu = add("fc_mu", new Linear(ndf * 8 * 16, zDim, true));
		add("fc_var", new Linear(ndf * 8 * 16, zDim, true));
	}

	/** The encoder whose state dict this is (widths from {@code layer1}, the latent size from {@code fc_mu}). */
	public static SpadeEncoder of(java.util.Map<String, io.github.genij.core.weights.WeightTensor> sd) {
		io.github.genij.core.weights.WeightTensor first = sd.containsKey("layer1.0.weight") ? sd.get("layer1.0.weight") : sd.get("layer1.0.weight_orig");
		io.github.genij.core.weights.WeightTensor fc = sd.get("fc_mu.weight");
		if (first == null || fc == null || !(sd.containsKey("layer6.0.weight") || sd.containsKey("layer6.0.weight_orig")))
			throw new GenIJException("The encoder file is not SPADE's ConvEncoder (latest_net_E.pth of a --use_vae model with crop size 256 or more).");
		return new SpadeEncoder((int) first.shape()[0], (int) fc.shape()[0]);
	}

	/** The style vector (the mean, {@code [1, zDim]}) of an RGB image {@code [1, 3, H, W]} in -1..1. */
	public NDArray forward(NDArray image) {
		NDArray x = Upsampling.resizeBilinear(image, 256, 256);
		for (int i = 0; i < layers.length; i++) x = layers[i].forward(i == 0 ? x : Activation.leakyRelu(x, 0.2f));
		x = Activation.leakyRelu(x, 0.2f);
		return mu.forward(x.reshape(x.getShape().get(0), -1));
	}
}
