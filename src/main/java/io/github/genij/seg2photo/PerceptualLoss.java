package io.github.genij.seg2photo;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Scalars;
import io.github.genij.style.VggFeatures;

/**
 * NVlabs/SPADE's {@code VGGLoss}: the L1 distance between VGG-19's relu1_1 ... relu5_1 features of the fake and of the
 * (detached) real image, weighted 1/32, 1/16, 1/8, 1/4, 1, times {@code lambda_vgg}. The images enter VGG as they are,
 * -1..1 RGB, as the reference hands them to torchvision's network.
 */
final class PerceptualLoss {

	static final List<String> LAYERS = List.of("r11", "r21", "r31", "r41", "r51");
	static final float[] WEIGHTS = { 1f / 32, 1f / 16, 1f / 8, 1f / 4, 1f };

	private final VggFeatures vgg;
	private final float lambda;

	PerceptualLoss(VggFeatures vgg, float lambda) {
		this.vgg = vgg;
		this.lambda = lambda;
	}

	NDArray loss(NDArray fake, NDArray real) {
		Map<String, NDArray> f = vgg.forward(fake, LAYERS), r = vgg.forward(real.stopGradient(), LAYERS);
		NDArray sum = null;
		for (int i = 0; i < LAYERS.size(); i++) {
			NDArray term = Scalars.times(f.get(LAYERS.get(i)).sub(r.get(LAYERS.get(i)).stopGradient()).abs().mean(), WEIGHTS[i]);
			sum = sum == null ? term : sum.add(term);
		}
		return Scalars.times(sum, lambda);
	}
}
