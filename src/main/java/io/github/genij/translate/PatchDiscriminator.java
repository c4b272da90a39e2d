package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;

/**
 * pix2pix's PatchGAN (the reference's {@code NLayerDiscriminator(input_nc, ndf, n_layers)}): 4x4
 * convolutions, stride 2 except the last two, LeakyReLU(0.2), norm after every middle convolution. With
 * three layers each output value judges a 70x70 patch of its input, the input and output images stacked
 * as channels. Outputs raw scores (logits for the vanilla loss), {@code [N, 1, h, w]}.
 */
final class PatchDiscriminator extends Module implements Layer {

	private final Sequential model;

	PatchDiscriminator(int in, int ndf, int layers, boolean batchNorm) {
		boolean bias = !batchNorm;
		model = add("model", new Sequential());
		model.append(new Conv(in, ndf, 4, 2, 1, true));
		model.append(new Activations.LeakyReLU(0.2f));
		int previous = ndf;
		for (int n = 1; n <= layers; n++) {
			int width = ndf * Math.min(1 << n, 8);
			model.append(new Conv(previous, width, 4, n < layers ? 2 : 1, 1, bias));
			model.append(batchNorm ? new BatchNorm(width) : new InstanceNorm(width, false));
			model.append(new Activations.LeakyReLU(0.2f));
			previous = width;
		}
		model.append(new Conv(previous, 1, 4, 1, 1, true));
	}

	@Override
	public NDArray forward(NDArray x) {
		return model.forward(x);
	}
}
