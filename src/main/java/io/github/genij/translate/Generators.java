package io.github.genij.translate;

import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.WeightTensor;

/** Builds a generator from a reference state dict, recognising its architecture unless told. */
final class Generators {

	private Generators() {}

	/**
	 * @param arch auto, unet_128, unet_256, resnet_6blocks or resnet_9blocks
	 * @param norm auto, batch or instance
	 * @param dropoutSeed null for no dropout, else the seed of test-time dropout
	 */
	static Generator load(Map<String, WeightTensor> stateDict, String arch, String norm, GeneratorLayers.BatchStats stats,
		Long dropoutSeed, NDManager m)
	{
		Map<String, WeightTensor> sd = ImportRewrites.stripPrefix(stateDict, "module.");
		ArchitectureDetector.Detection d = ArchitectureDetector.detect(sd);
		if (d == null || !d.family.equals("translate")) {
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
		GeneratorLayers layers = new GeneratorLayers(sd, n.equals("batch"), stats, dropoutSeed, m);
		try {
			if (a.startsWith("resnet_")) return new ResnetGenerator(layers, ((Number) d.parameters.get("n_blocks")).intValue());
			return new UnetGenerator(layers);
		}
		catch (RuntimeException e) {
			layers.close();
			throw e;
		}
	}
}
