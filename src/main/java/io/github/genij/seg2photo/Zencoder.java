package io.github.genij.seg2photo;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ReflectionPad;
import io.github.genij.core.nn.module.Sequential;

/**
 * SEAN's style encoder ({@code Zencoder}, inside G's state dict): reflection-padded 3×3 convolution to ngf (32), two
 * stride-2 convolutions, a stride-2 transposed convolution, each with parameter-free instance norm and lrelu 0.2,
 * then a reflection-padded 3×3 convolution to the style length (512) and tanh: a map of style features at half the
 * image's size, keyed {@code model.1.weight} ... {@code model.14.bias} as the reference's Sequential numbers them.
 * (The reference declares the instance norm after the transposed convolution with half its width; without affine
 * weights that changes nothing.)
 */
final class Zencoder extends Module {

	final int ngf, styleLength;
	private final Sequential model;

	Zencoder(int ngf, int styleLength) {
		this.ngf = ngf;
		this.styleLength = styleLength;
		model = add("model", new Sequential());
		model.append(new ReflectionPad(1));
		model.append(new Conv(3, ngf, 3, 1, 0, true));
		model.append(new InstanceNorm(ngf, false));
		model.append(new Activations.LeakyReLU(0.2f));
		model.append(new Conv(ngf, 2 * ngf, 3, 2, 1, true));
		model.append(new InstanceNorm(2 * ngf, false));
		model.append(new Activations.LeakyReLU(0.2f));
		model.append(new Conv(2 * ngf, 4 * ngf, 3, 2, 1, true));
		model.append(new InstanceNorm(4 * ngf, false));
		model.append(new Activations.LeakyReLU(0.2f));
		model.append(new ConvTranspose(4 * ngf, 8 * ngf, 3, 2, 1, 1, true));
		model.append(new InstanceNorm(8 * ngf, false));
		model.append(new Activations.LeakyReLU(0.2f));
		model.append(new ReflectionPad(1));
		model.append(new Conv(8 * ngf, styleLength, 3, 1, 0, true));
		model.append(new Activations.Tanh());
	}

	/** The style feature map {@code [1, styleLength, h, w]} of an RGB image {@code [1, 3, H, W]} in -1..1. */
	NDArray forward(NDArray image) {
		return model.forward(image);
	}
}
