package io.github.genij.style;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.MaxPool;
import io.github.genij.core.nn.module.ReflectionPad;
import io.github.genij.core.nn.module.Sequential;
import io.github.genij.core.nn.module.Upsample;
import io.github.genij.core.weights.WeightTensor;

/**
 * AdaIN's encoder (the "normalised" VGG-19 up to relu4_1, modules 0-30 of {@code vgg_normalised.pth}) and
 * decoder (its mirror, {@code decoder.pth}), with reflection padding, max-pooling in ceil mode and nearest
 * up-sampling, as in naoto0804/pytorch-AdaIN. Both are {@code nn.Sequential}s keyed by module index.
 * Inputs are RGB in [0, 1].
 */
final class AdaInNetworks implements AutoCloseable {

	/** The encoder halves the image three times. */
	static final int MULTIPLE = 8;

	final Sequential encoder, decoder;

	AdaInNetworks(Map<String, WeightTensor> encoderWeights, Map<String, WeightTensor> decoderWeights, NDManager m) {
		encoder = encoder();
		decoder = decoder();
		try {
			encoder.train(false).load(encoderWeights, m, "AdaIN's encoder (vgg_normalised.pth)");
			decoder.train(false).load(decoderWeights, m, "AdaIN's decoder (decoder.pth)");
		}
		catch (RuntimeException e) {
			close();
			throw e;
		}
	}

	/** Modules 0..30 of the normalised VGG: a 1x1 colour conv, then VGG-19 to relu4_1. */
	static Sequential encoder() {
		Sequential s = new Sequential();
		s.append(new Conv(3, 3, 1, 1, 0, true));
		int in = 3;
		int[][] blocks = { { 64, 64 }, { 128, 128 }, { 256, 256, 256, 256 }, { 512 } };
		for (int b = 0; b < blocks.length; b++) {
			if (b > 0) s.append(new MaxPool(2, true));
			for (int width : blocks[b]) {
				padConvRelu(s, in, width);
				in = width;
			}
		}
		return s;
	}

	/** The decoder: relu4_1 features back to RGB, nearest x2 up-sampling between the blocks. */
	static Sequential decoder() {
		Sequential s = new Sequential();
		padConvRelu(s, 512, 256);
		s.append(new Upsample(2));
		for (int i = 0; i < 3; i++) padConvRelu(s, 256, 256);
		padConvRelu(s, 256, 128);
		s.append(new Upsample(2));
		padConvRelu(s, 128, 128);
		padConvRelu(s, 128, 64);
		s.append(new Upsample(2));
		padConvRelu(s, 64, 64);
		s.append(new ReflectionPad(1));
		s.append(new Conv(64, 3, 3, 1, 0, true)); // no activation after the last convolution
		return s;
	}

	private static void padConvRelu(Sequential s, int in, int out) {
		s.append(new ReflectionPad(1));
		s.append(new Conv(in, out, 3, 1, 0, true));
		s.append(new Activations.ReLU());
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
