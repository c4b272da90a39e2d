package io.github.genij.stylegan;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;

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
		StyleGan2 g = Module.loaded(new StyleGan2(arch), model.weights, manager, "The StyleGAN2 generator");
		if (model.card == null || !StyleGanFamily.W_AVG_ESTIMATE.equals(model.card.parameters.get(StyleGanFamily.W_AVG))) return g;
		// rosinality's training checkpoints keep no average w: estimate it as NVIDIA's projector does
		Map<String, WeightTensor> sd = new LinkedHashMap<>(model.weights);
		try (NDManager m = manager.newSubManager()) {
			sd.put("mapping.w_avg", WeightTensor.of(g.meanW(ESTIMATE_SAMPLES, ESTIMATE_SEED, m)));
		}
		finally {
			g.close();
		}
		return Module.loaded(new StyleGan2(arch), sd, manager, "The StyleGAN2 generator");
	}

	/** NVIDIA's projector: the mean of w over 10,000 z from {@code RandomState(123)}. */
	static final int ESTIMATE_SAMPLES = 10_000;
	static final long ESTIMATE_SEED = 123;
}
