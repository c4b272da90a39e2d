package io.github.genij.style;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.weights.WeightTensor;

/**
 * AdaIN's encoder (the "normalised" VGG-19 up to relu4_1, modules 0-30 of {@code vgg_normalised.pth}) and
 * decoder (its mirror, {@code decoder.pth}), with reflection padding, max-pooling in ceil mode and nearest
 * up-sampling, as in naoto0804/pytorch-AdaIN. Inputs are RGB in [0, 1].
 */
final class AdaInNetworks implements AutoCloseable {

	/** Modules 0..30 of the normalised VGG: a 1x1 colour conv, then VGG-19 to relu4_1. */
	static final String ENCODER = "c0 p c2 r p c5 r m p c9 r p c12 r m p c16 r p c19 r p c22 r p c25 r m p c29 r";
	static final String DECODER = "p c1 r u p c5 r p c8 r p c11 r p c14 r u p c18 r p c21 r u p c25 r p c28";
	/** The encoder halves the image three times. */
	static final int MULTIPLE = 8;

	final SequentialNet encoder, decoder;

	AdaInNetworks(Map<String, WeightTensor> encoderWeights, Map<String, WeightTensor> decoderWeights, NDManager m) {
		encoder = new SequentialNet(ENCODER, encoderWeights, "AdaIN's encoder (vgg_normalised.pth)", m);
		try {
			decoder = new SequentialNet(DECODER, decoderWeights, "AdaIN's decoder (decoder.pth)", m);
		}
		catch (RuntimeException e) {
			encoder.close();
			throw e;
		}
	}

	NDArray encode(NDArray rgb01) {
		return encoder.forward(rgb01);
	}

	NDArray decode(NDArray features) {
		return decoder.forward(features);
	}

	@Override
	public void close() {
		encoder.close();
		decoder.close();
	}
}
