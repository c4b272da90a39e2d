package io.github.genij.style;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;

/** Finds the feature network a Gatys run asks for: {@code builtin}, an installed model, or a checkpoint file. */
final class FeatureNetworks {

	private FeatureNetworks() {}

	static VggFeatures load(String features, boolean averagePooling, NDManager manager) {
		String f = features == null ? "" : features.trim();
		if (f.isEmpty() || f.equalsIgnoreCase("builtin")) return VggFeatures.builtin(manager);
		Map<String, WeightTensor> sd;
		ModelStore store = ModelStore.defaultStore();
		if (f.matches("[A-Za-z0-9][A-Za-z0-9._-]*") && store.contains(f)) sd = store.load(f).weights;
		else {
			Path p = Paths.get(f);
			if (!Files.isRegularFile(p)) {
				throw new GenIJException("features=" + f + " is neither 'builtin', an installed model, nor a file. Give " +
					"vgg_conv.pth (Gatys) or torchvision's vgg19-*.pth, or import one with Import Checkpoint.");
			}
			sd = Weights.stateDict(p);
		}
		return VggFeatures.fromStateDict(sd, manager, averagePooling);
	}
}
