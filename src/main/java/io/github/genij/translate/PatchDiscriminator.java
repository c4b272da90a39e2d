package io.github.genij.translate;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * pix2pix's PatchGAN (the reference's NLayerDiscriminator): 4x4 convolutions, stride 2 except the last
 * two, LeakyReLU(0.2), norm after every middle convolution. With three layers each output value judges a
 * 70x70 patch of its input, the input and output images stacked as channels.
 */
final class PatchDiscriminator {

	private final List<GeneratorLayers.Conv> convs = new ArrayList<>();
	private final List<GeneratorLayers.Norm> norms = new ArrayList<>();

	PatchDiscriminator(GeneratorLayers l, int nLayers) {
		convs.add(l.conv("model.0", 2, 1));
		norms.add(null);
		int index = 2;
		for (int n = 1; n <= nLayers; n++) {
			convs.add(l.conv("model." + index, n < nLayers ? 2 : 1, 1));
			norms.add(l.norm("model." + (index + 1)));
			index += 3;
		}
		convs.add(l.conv("model." + index, 1, 1));
	}

	/** Raw scores (logits for the vanilla loss), one per patch: {@code [N, 1, h, w]}. */
	NDArray forward(NDArray x) {
		NDArray y = x;
		for (int i = 0; i < convs.size() - 1; i++) {
			y = convs.get(i).apply(y);
			if (norms.get(i) != null) y = norms.get(i).apply(y);
			y = Activation.leakyRelu(y, 0.2f);
		}
		return convs.get(convs.size() - 1).apply(y);
	}
}
