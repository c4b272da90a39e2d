package io.github.genij.core.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the named tensors of any weights file GenIJ understands, whatever its format. */
public final class Weights {

	private Weights() {}

	/** The model's state dict from a PyTorch checkpoint (zip or legacy) or a safetensors file. */
	public static Map<String, WeightTensor> stateDict(Path file) {
		if (!Files.isRegularFile(file)) throw new CheckpointException("No such weights file: " + file);
		if (Safetensors.looksLike(file)) return Safetensors.read(file);
		return TorchCheckpoint.read(file).stateDict();
	}
}
