package io.github.genij.seg2photo;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Pooling;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;
import io.github.genij.core.nn.module.WeightAndBias;

/**
 * NVlabs/SPADE's {@code MultiscaleDiscriminator}, keyed as its {@code latest_net_D.pth}: {@code num_D} PatchGANs
 * ({@code discriminator_0}, ...), each seeing the label map and an image stacked as channels, the next one the
 * input average-pooled to half (3x3, stride 2, padding not counted). Each is the reference's
 * {@code NLayerDiscriminator} with {@code norm_D = spectralinstance}: groups {@code model0 ... model<n>} of a 4x4
 * convolution (padding 2; stride 2, the last middle one stride 1), the middle ones under spectral norm without
 * bias and followed by a parameter-free instance norm, lrelu 0.2 after all but the last. Every group's output is
 * returned: the last is the score, the others feed the feature-matching loss.
 */
final class SpadeDiscriminator extends Module {

	private final List<List<Sequential>> scales = new ArrayList<>();

	/**
	 * @param in label channels plus image channels
	 * @param ndf the first layer's width (64 in the reference), doubling up to 512
	 * @param layers {@code n_layers_D} (4)
	 * @param count {@code num_D} (2)
	 */
	SpadeDiscriminator(int in, int ndf, int layers, int count) {
		for (int d = 0; d < count; d++) scales.add(add("discriminator_" + d, new PatchGan(in, ndf, layers)).groups);
		for (WeightAndBias layer : modulesOf(WeightAndBias.class)) layer.init(Init.xavierNormal(0.02), Init.zeros());
	}

	/** One PatchGAN: its groups {@code model0 ... model<layers>}. */
	private static final class PatchGan extends Module {
		final List<Sequential> groups = new ArrayList<>();

		PatchGan(int in, int ndf, int layers) {
			Sequential first = add("model0", new Sequential());
			first.append(new Conv(in, ndf, 4, 2, 2, true));
			first.append(new Activations.LeakyReLU(0.2f));
			groups.add(first);
			int nf = ndf;
			for (int n = 1; n < layers; n++) {
				int previous = nf;
				nf = Math.min(nf * 2, 512);
				Sequential g = add("model" + n, new Sequential());
				Sequential normed = g.append(new Sequential());
				normed.append(Conv.spectral(previous, nf, 4, n == layers - 1 ? 1 : 2, 2, false));
				normed.append(new InstanceNorm(nf, false));
				g.append(new Activations.LeakyReLU(0.2f));
				groups.add(g);
			}
			Sequential last = add("model" + layers, new Sequential());
			last.append(new Conv(nf, 1, 4, 1, 2, true));
			groups.add(last);
		}
	}

	/** Per scale, every group's output in order (the last is the score map). */
	List<List<NDArray>> forward(NDArray input) {
		List<List<NDArray>> out = new ArrayList<>();
		NDArray x = input;
		for (int d = 0; d < scales.size(); d++) {
			List<NDArray> features = new ArrayList<>();
			NDArray y = x;
			for (Sequential g : scales.get(d)) {
				y = g.forward(y);
				features.add(y);
			}
			out.add(features);
			if (d + 1 < scales.size()) x = Pooling.averageWithoutPadding(x, 3, 2, 1);
		}
		return out;
	}
}
