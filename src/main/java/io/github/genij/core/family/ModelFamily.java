package io.github.genij.core.family;

import java.util.Map;

import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * What a model family tells the core about itself, found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.github.genij.core.family.ModelFamily}), so that the core names no family:
 * which checkpoints are its own, and how a model card's architecture becomes a network.
 */
public interface ModelFamily {

	/** The family's name in model cards: {@code style}, {@code translate}, ... */
	String name();

	/**
	 * The architecture these state-dict keys (already stripped of {@code module.}) belong to, with the
	 * parameters that build it (read from the shapes) and its value preset; null when they are not this
	 * family's.
	 */
	Detection recognise(Map<String, WeightTensor> stateDict);

	/**
	 * The network (its module tree, without weights) a model card's architecture and parameters describe.
	 *
	 * @throws io.github.genij.core.GenIJException for an architecture this family does not know
	 */
	Module build(String architecture, Map<String, Object> parameters);

	/**
	 * A checkpoint whose own layout this family converts to the layout its networks are keyed in, with
	 * what the keys alone do not tell (NVIDIA's pickled {@code G_ema} and its init arguments, rosinality's
	 * {@code g_ema}); null when the checkpoint is not such a one (the state dict is then recognised as is).
	 */
	default Converted convert(TorchCheckpoint checkpoint) {
		return null;
	}

	/** A converted checkpoint: the state dict in the family's layout, and its detection. */
	final class Converted {
		public final Map<String, WeightTensor> stateDict;
		public final Detection detection;

		public Converted(Map<String, WeightTensor> stateDict, Detection detection) {
			this.stateDict = stateDict;
			this.detection = detection;
		}
	}
}
