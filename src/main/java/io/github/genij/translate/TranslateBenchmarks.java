package io.github.genij.translate;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.weights.WeightTensor;

/** Entry point for bench/: a generator's forward pass as the Translate command runs it (running statistics). */
public final class TranslateBenchmarks {

	private TranslateBenchmarks() {}

	/** A loaded generator. */
	public static final class Forward implements AutoCloseable {
		private final Generator gen;

		Forward(Generator gen) {
			this.gen = gen;
		}

		public NDArray apply(NDArray x) {
			return Scoped.apply(x, gen::forward);
		}

		@Override
		public void close() {
			gen.close();
		}
	}

	/** A freshly initialised reference U-Net (batch norm) as a state dict, made without PyTorch. */
	public static Map<String, WeightTensor> randomUnet(int channels, int numDowns, int ngf, long seed, NDManager m) {
		try (TrainableNet net = new TrainableNet(ReferenceLayout.unet(channels, channels, numDowns, ngf, true), seed, m)) {
			return net.toWeights();
		}
	}

	public static Forward load(Map<String, WeightTensor> sd, NDManager m) {
		return new Forward(Generators.load(sd, "auto", "auto", GeneratorLayers.BatchStats.RUNNING, null, m));
	}
}
