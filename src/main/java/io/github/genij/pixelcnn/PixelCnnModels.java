package io.github.genij.pixelcnn;

import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.ModelStore;

/** A PixelCNN from what commands are given: an installed model, a model folder or a pclucas14 {@code .pth}. */
public final class PixelCnnModels {

	private PixelCnnModels() {}

	/**
	 * The network with its weights (weight norm folded), in inference mode: PixelCNN++ or an auxiliary-variable
	 * model; refused, naming what it is, when the model is another kind.
	 */
	public static PixelModel load(ModelStore.Installed model, NDManager manager) {
		Detection d = detect(model);
		return Module.loaded(PixelCnnFamily.buildModel(d.architecture, d.parameters, false), model.weights, manager, "The PixelCNN model");
	}

	/** A PixelCNN++ only (a file in pclucas14's layout, or a model of that variant). */
	public static PixelCnnPP loadPixelCnnPP(ModelStore.Installed model, NDManager manager) {
		PixelModel m = load(model, manager);
		if (m instanceof PixelCnnPP) return (PixelCnnPP) m;
		m.close();
		throw new GenIJException("This is a " + m.variant() + " PixelCNN, not a PixelCNN++.");
	}

	/** The model's settings, from its card or read from its weights. */
	static Map<String, Object> parameters(ModelStore.Installed model) {
		return detect(model).parameters;
	}

	private static Detection detect(ModelStore.Installed model) {
		if (model.card != null && model.card.family != null) {
			if (PixelCnnFamily.NAME.equals(model.card.family))
				return new Detection(PixelCnnFamily.NAME, model.card.architecture, "symmetric", model.card.parameters);
			throw new GenIJException("'" + model.card.name + "' is a " + model.card.family + " model, not a PixelCNN.");
		}
		Detection d = new PixelCnnFamily().recognise(ImportRewrites.foldWeightNorm(ImportRewrites.stripPrefix(model.weights, "module.")));
		if (d == null) throw new GenIJException("These weights are not a PixelCNN (pclucas14/pixel-cnn-pp's state dict with u_init and nin_out, " +
			"or a Grayscale or Pyramid PixelCNN GenIJ trained).");
		return d;
	}
}
