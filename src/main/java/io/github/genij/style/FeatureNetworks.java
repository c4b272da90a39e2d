package io.github.genij.style;

import java.util.Map;
import java.util.function.BiFunction;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;

/** Finds the feature network a Gatys run asks for: {@code builtin}, an installed model, or a checkpoint file. */
final class FeatureNetworks {

	private FeatureNetworks() {}

	/** @param resolver reads a model by name or file (the command's, which keeps it for the next run) */
	static VggFeatures load(String features, boolean averagePooling, BiFunction<String, String, ModelStore.Installed> resolver,
		NDManager manager)
	{
		String f = features == null ? "" : features.trim();
		if (f.isEmpty() || f.equalsIgnoreCase("builtin")) return VggFeatures.builtin(manager);
		Map<String, WeightTensor> sd = resolver.apply(f, "features").weights;
		return VggFeatures.fromStateDict(sd, manager, averagePooling);
	}
}
