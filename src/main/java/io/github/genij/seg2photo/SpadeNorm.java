package io.github.genij.seg2photo;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;

/**
 * NVlabs/SPADE's {@code SPADE} norm: a parameter-free batch norm (in inference its running statistics), then
 * a scale {@code 1 + γ} and shift {@code β} per pixel, both 3×3 convolutions of a shared 128-channel
 * embedding ({@code mlp_shared}: 3×3 convolution and ReLU) of the label map resized (nearest) to the
 * activations' size.
 */
final class SpadeNorm extends Module {

	static final int HIDDEN = 128;

	private final BatchNorm norm;
	private final Sequential shared;
	private final Conv sharedConv;
	private final Conv gamma, beta;

	/** The name the reference gives the parameter-free norm: SPADE's {@code param_free_norm}, OASIS's {@code first_norm}. */
	enum Naming {
		SPADE("param_free_norm"), OASIS("first_norm");

		final String norm;

		Naming(String norm) {
			this.norm = norm;
		}
	}

	SpadeNorm(int channels, int labelChannels, Naming naming) {
		norm = add(naming.norm, new BatchNorm(channels, false));
		shared = add("mlp_shared", new Sequential());
		sharedConv = shared.append(new Conv(labelChannels, HIDDEN, 3, 1, 1, true));
		shared.append(new io.github.genij.core.nn.module.Activations.ReLU());
		gamma = add("mlp_gamma", new Conv(HIDDEN, channels, 3, 1, 1, true));
		beta = add("mlp_beta", new Conv(HIDDEN, channels, 3, 1, 1, true));
	}

	/** γ and β for activations of {@code x}'s size, without normalising (SEAN blends them with its own). */
	NDArray[] gammaBeta(NDArray x, Labels labels) {
		NDArray actv = embed(x, labels);
		return new NDArray[] { gamma.forward(actv), beta.forward(actv) };
	}

	/** {@code mlp_shared} of the label map at {@code x}'s size (read already channel-padded, see {@link Labels#atPadded}). */
	private NDArray embed(NDArray x, Labels labels) {
		return Activation.relu(sharedConv.forwardPaddedInput(labels.atPadded(x.getShape().get(2), x.getShape().get(3))));
	}

	NDArray forward(NDArray x, Labels labels) {
		NDArray normalized = norm.forward(x);
		NDArray actv = embed(x, labels);
		return normalized.mul(gamma.forward(actv).add(1f)).add(beta.forward(actv));
	}

	/** SPADE's activation between norms and convolutions. */
	static NDArray lrelu(NDArray x) {
		return Activation.leakyRelu(x, 0.2f);
	}
}
