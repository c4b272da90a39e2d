package io.github.genij.stylegan;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;

/** A StyleGAN generator from what commands are given: an installed model, a model folder or a file. */
public final class StyleGanModels {

	private StyleGanModels() {}

	/**
	 * Whichever generator {@code model} holds: rosinality's first StyleGAN at {@code resolution} (0: the one its card or
	 * its {@code train_step-N} file name gives) and {@code alpha}, else a StyleGAN2 (which grows no further: a
	 * resolution other than its own, or an alpha below 1, is refused).
	 *
	 * @param given what the user named the model by (a file's name may tell a rosinality file's resolution)
	 */
	public static StyleGenerator loadAny(ModelStore.Installed model, String given, int resolution, Double alpha, NDManager manager) {
		String arch = model.card != null ? model.card.architecture
			: StyleGanFamily.isV1(model.weights) ? StyleGanFamily.ARCHITECTURE_V1
			: StyleGanFamily.isProGan(model.weights) ? StyleGanFamily.ARCHITECTURE_PROGAN : StyleGanFamily.ARCHITECTURE;
		if (StyleGanFamily.ARCHITECTURE_PROGAN.equals(arch)) return proGan(model, resolution, alpha, manager);
		if (StyleGanFamily.ARCHITECTURE_V1_TF.equals(arch)) return nvidiaV1(model, resolution, alpha, manager);
		if (StyleGanFamily.ARCHITECTURE_PROGAN_TF.equals(arch)) {
			ProGanTf g = Module.loaded(new ProGanTf(model.weights), model.weights, manager, "The ProGAN generator");
			try {
				g.grownTo(resolution != 0 ? resolution : g.maxResolution(), alpha == null ? 1 : alpha);
			}
			catch (RuntimeException e) {
				g.close();
				throw e;
			}
			return g;
		}
		boolean v1 = StyleGanFamily.ARCHITECTURE_V1.equals(arch);
		if (!v1) {
			StyleGan2 g = load(model, manager);
			if (resolution != 0 && resolution != g.arch.resolution || alpha != null && alpha != 1) {
				g.close();
				throw new GenIJException("resolution= and alpha= choose a stage of a progressive model (StyleGAN v1, ProGAN); this StyleGAN2 makes " +
					g.arch.resolution + "x" + g.arch.resolution + " images only: leave them out.");
			}
			return g;
		}
		int size = resolution != 0 ? resolution : trainedResolution(model, given);
		StyleGanV1 g = Module.loaded(new StyleGanV1(StyleGanV1.Shape1.of(model.weights)), model.weights, manager, "The StyleGAN (v1) generator");
		try {
			g.grownTo(size, alpha == null ? 1 : alpha);
		}
		catch (RuntimeException e) {
			g.close();
			throw e;
		}
		return g;
	}

	/**
	 * pytorch_GAN_zoo's PGAN: every scale it holds is grown, so its resolution is the largest; alpha defaults to its
	 * config's (turned into the newest scale's share).
	 */
	private static ProGan proGan(ModelStore.Installed model, int resolution, Double alpha, NDManager manager) {
		Map<String, Object> p = model.card != null ? model.card.parameters : Map.of();
		float leak = p.get("leak") instanceof Number ? ((Number) p.get("leak")).floatValue() : 0.2f;
		ProGan g = Module.loaded(new ProGan(new ProGan.Shape0(model.weights), leak, Boolean.TRUE.equals(p.get("tanh"))), model.weights, manager,
			"The ProGAN generator");
		try {
			int size = resolution != 0 ? resolution : g.maxResolution();
			double own = size == g.maxResolution() && p.get("alpha") instanceof Number ? ((Number) p.get("alpha")).doubleValue() : 1;
			g.grownTo(size, alpha != null ? alpha : own);
		}
		catch (RuntimeException e) {
			g.close();
			throw e;
		}
		return g;
	}

	/** NVIDIA's TensorFlow StyleGAN (v1): fully grown unless a stage is asked for. */
	private static StyleGanV1Tf nvidiaV1(ModelStore.Installed model, int resolution, Double alpha, NDManager manager) {
		Object lrMul = model.card == null ? null : model.card.parameters.get("mapping_lrmul");
		StyleGanV1Tf g = Module.loaded(new StyleGanV1Tf(new StyleGanV1Tf.Shape2(model.weights), lrMul instanceof Number ? ((Number) lrMul).floatValue()
			: 0.01f), model.weights, manager, "The StyleGAN (v1) generator");
		try {
			g.grownTo(resolution != 0 ? resolution : g.maxResolution(), alpha == null ? 1 : alpha);
		}
		catch (RuntimeException e) {
			g.close();
			throw e;
		}
		return g;
	}

	/** rosinality's train.py names a checkpoint train_step-N when it holds the model grown to 4 * 2^(N-1). */
	private static final java.util.regex.Pattern TRAIN_STEP = java.util.regex.Pattern.compile("train_step-(\\d+)\\.model$");

	private static int trainedResolution(ModelStore.Installed model, String given) {
		Object card = model.card == null ? null : model.card.parameters.get("resolution");
		if (card instanceof Number) return ((Number) card).intValue();
		// the file named, or the one an installed model was imported from
		String source = model.card != null && model.card.provenance.source != null ? model.card.provenance.source : given;
		java.util.regex.Matcher m = TRAIN_STEP.matcher(source == null ? "" : source.trim());
		if (m.find()) {
			int n = Integer.parseInt(m.group(1));
			if (n >= 1 && n <= 12) return 4 << (n - 1);
		}
		throw new GenIJException("rosinality's StyleGAN files hold every block up to " + (4 << (StyleGanV1.Shape1.of(model.weights).widths.length - 1)) +
			" px whether it was trained that far or not: give resolution=<the size it was trained to> (a checkpoint train_step-N.model " +
			"holds 4 x 2^(N-1)).");
	}

	/**
	 * The generator for {@code model}: its card's shape when it has one (installed models, NVIDIA
	 * snapshots), else the shape its NVIDIA-layout keys show (no clamp).
	 */
	public static StyleGan2 load(ModelStore.Installed model, NDManager manager) {
		if (model.card != null && model.card.family != null && !StyleGanFamily.NAME.equals(model.card.family)) {
			throw new GenIJException("'" + model.card.name + "' is a " + model.card.family + " model, not a StyleGAN generator.");
		}
		String other = model.card != null && model.card.architecture != null && !StyleGanFamily.ARCHITECTURE.equals(model.card.architecture)
			? model.card.architecture : StyleGanFamily.isV1(model.weights) ? StyleGanFamily.ARCHITECTURE_V1
			: StyleGanFamily.isProGan(model.weights) ? StyleGanFamily.ARCHITECTURE_PROGAN : null;
		if (other != null) {
			throw new GenIJException("This command works with StyleGAN2 generators; this model is " + other + " (Sample, Style Mixing and " +
				"Interpolate take it).");
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
