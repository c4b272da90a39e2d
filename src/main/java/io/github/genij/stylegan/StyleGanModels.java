package io.github.genij.stylegan;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ModelStore;

/** A StyleGAN2 generator from what commands are given: an installed model, a model folder or a file. */
public final class StyleGanModels {

	private StyleGanModels() {}

	/**
	 * The generator for {@code model}: its card's shape when it has one (installed models, NVIDIA
	 * snapshots), else the shape its NVIDIA-layout keys show (no clamp).
	 */
	public static StyleGan2 load(ModelStore.Installed model, NDManager manager) {
		if (model.card != null && model.card.family != null && !StyleGanFamily.NAME.equals(model.card.family)) {
			throw new GenIJException("'" + model.card.name + "' is a " + model.card.family + " model, not a StyleGAN generator.");
		}
		StyleGanArch arch = model.card != null && model.card.parameters.containsKey("channels")
			? StyleGanArch.fromParameters(model.card.parameters) : StyleGanArch.fromStateDict(model.weights, null);
		return Module.loaded(new StyleGan2(arch), model.weights, manager, "The StyleGAN2 generator");
	}
}
