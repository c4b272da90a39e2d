package io.github.genij.style;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.WeightTensor;

/**
 * Entry points for bench/ (which lives outside this package): the style computations exactly as the
 * commands run them, without images or commands around them.
 */
public final class StyleBenchmarks {

	private StyleBenchmarks() {}

	/** AdaIN with loaded networks. */
	public static final class AdaIn implements AutoCloseable {
		private final AdaInNetworks net;

		AdaIn(AdaInNetworks net) {
			this.net = net;
		}

		public NDArray transfer(NDArray content, NDArray style) {
			return AdaInTransfer.run(net, content, List.of(style), null, 1, null);
		}

		/** The decoder applied to the encoder's features (no AdaIN between): the two networks alone. */
		public NDArray encodeDecode(NDArray rgb01) {
			return net.decode(net.encode(rgb01));
		}

		@Override
		public void close() {
			net.close();
		}
	}

	public static AdaIn adain(Map<String, WeightTensor> encoder, Map<String, WeightTensor> decoder, NDManager m) {
		return new AdaIn(new AdaInNetworks(encoder, decoder, m));
	}

	/** One Gatys objective evaluation: the loss and its gradient with respect to the image. */
	public static final class GatysEvaluation implements AutoCloseable {
		private final VggFeatures vgg;
		private final NDArray content, style;
		private final NDManager m;

		GatysEvaluation(VggFeatures vgg, NDArray content, NDArray style, NDManager m) {
			this.vgg = vgg;
			this.content = content;
			this.style = style;
			this.m = m;
		}

		public void evaluate() {
			GatysTransfer.Settings s = new GatysTransfer.Settings();
			s.iterations = 1;
			s.previewEvery = 0;
			try (NDManager step = m.newSubManager()) {
				GatysTransfer.run(vgg, content, style, s, Progress.NONE, null, step);
			}
		}

		@Override
		public void close() {
			vgg.close();
		}
	}

	public static GatysEvaluation gatys(Map<String, WeightTensor> vggWeights, NDArray content, NDArray style, NDManager m) {
		return new GatysEvaluation(VggFeatures.fromStateDict(vggWeights, m, false), content, style, m);
	}
}
