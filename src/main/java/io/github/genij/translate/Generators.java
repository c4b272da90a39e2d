package io.github.genij.translate;

import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;

/** Builds a generator from a reference state dict, recognising its architecture unless told. */
final class Generators {

	private Generators() {}

	/**
	 * @param arch auto, unet_128, unet_256, resnet_6blocks or resnet_9blocks
	 * @param norm auto, batch or instance
	 * @param dropoutSeed null for no dropout, else the seed of test-time dropout
	 */
	static Generator load(Map<String, WeightTensor> stateDict, String arch, String norm, BatchNorm.Statistics stats,
		Long dropoutSeed, NDManager m)
	{
		return load(new ModelStore.Installed(null, stateDict, null), arch, norm, stats, dropoutSeed, m);
	}

	/**
	 * An installed model is built as its card says (the card is the source of truth: architecture,
	 * parameters, value convention); a bare checkpoint as its keys say.
	 */
	static Generator load(ModelStore.Installed model, String arch, String norm, BatchNorm.Statistics stats, Long dropoutSeed,
		NDManager m)
	{
		Map<String, WeightTensor> sd = ImportRewrites.stripPrefix(model.weights, "module.");
		ModelCard card = model.card;
		ArchitectureDetector.Detection d;
		if (card != null && !"unknown".equals(card.family)) {
			if (!TranslateFamily.NAME.equals(card.family)) {
				throw new GenIJException("The model '" + card.name + "' is a " + card.family + " model (" + card.architecture +
					"), not a pix2pix/CycleGAN generator.");
			}
			d = new ArchitectureDetector.Detection(card.family, card.architecture, card.preset, card.parameters);
		}
		else d = ArchitectureDetector.detect(sd);
		if (d == null || !d.family.equals(TranslateFamily.NAME)) {
			throw new GenIJException("This checkpoint is not a pix2pix/CycleGAN generator (no U-Net or ResNet keys such as " +
				"model.model.0.weight or model.10.conv_block.1.weight). Is it a discriminator (latest_net_D.pth)?");
		}
		String a = arch == null || arch.trim().equalsIgnoreCase("auto") ? d.architecture : arch.trim().toLowerCase(Locale.ROOT);
		if (!a.equals(d.architecture)) {
			throw new GenIJException("arch=" + a + " was asked for, but the checkpoint's keys are those of " + d.architecture +
				" (" + d.parameters + "). Use arch=auto.");
		}
		String n = norm == null || norm.trim().equalsIgnoreCase("auto") ? String.valueOf(d.parameters.get("norm"))
			: norm.trim().toLowerCase(Locale.ROOT);
		if (!n.equals(d.parameters.get("norm"))) {
			throw new GenIJException("norm=" + n + " was asked for, but the checkpoint was trained with " + d.parameters.get("norm") +
				" norm (its keys " + (n.equals("batch") ? "lack" : "have") + " running statistics). Use norm=auto.");
		}
		Generator g = Module.loaded(build(a, d.parameters), sd, m, "This " + a + " checkpoint");
		g.preset = ValuePreset.named(d.preset, ValuePreset.SYMMETRIC);
		g.use(stats);
		g.dropout(dropoutSeed == null ? null : new Random(dropoutSeed));
		return g;
	}

	/** The network a model card's (or a detection's) architecture and parameters describe, without weights. */
	static Generator build(String arch, Map<String, Object> p) {
		boolean batchNorm = "batch".equals(String.valueOf(p.get("norm")));
		int in = number(p, "input_nc"), out = number(p, "output_nc"), ngf = number(p, "ngf");
		if (arch.startsWith("resnet_"))
			return new ResnetGenerator(in, out, ngf, number(p, "n_blocks"), batchNorm, "on".equals(String.valueOf(p.get("dropout"))));
		if (arch.startsWith("unet_")) return new UnetGenerator(in, out, number(p, "num_downs"), ngf, batchNorm, true);
		throw new GenIJException("Unknown translation architecture '" + arch + "'.");
	}

	private static int number(Map<String, Object> p, String key) {
		Object v = p.get(key);
		if (!(v instanceof Number)) throw new GenIJException("The model's description lacks '" + key + "'.");
		return ((Number) v).intValue();
	}
}
