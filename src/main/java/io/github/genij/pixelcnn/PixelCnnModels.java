package io.github.genij.pixelcnn;

import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.ModelStore;

/** A PixelCNN++ from what commands are given: an installed model, a model folder or a pclucas14 {@code .pth}. */
public final class PixelCnnModels {

	private PixelCnnModels() {}

	/** The network with its weights, in inference mode; refused, naming what it is, when the model is another kind. */
	public static PixelCnnPP load(ModelStore.Installed model, NDManager manager) {
		return Module.loaded(PixelCnnFamily.buildPixelCnn(parameters(model)), model.weights, manager, "The PixelCNN++ model");
	}

	static Map<String, Object> parameters(ModelStore.Installed model) {
		if (model.card != null && model.card.family != null) {
			if (PixelCnnFamily.NAME.equals(model.card.family)) return model.card.parameters;
			throw new GenIJException("'" + model.card.name + "' is a " + model.card.family + " model, not a PixelCNN.");
		}
		Detection d = new PixelCnnFamily().recognise(ImportRewrites.foldWeightNorm(ImportRewrites.stripPrefix(model.weights, "module.")));
		if (d == null) throw new GenIJException("These weights are not a PixelCNN++ (pclucas14/pixel-cnn-pp's state dict, with u_init and nin_out).");
		return d.parameters;
	}
}
