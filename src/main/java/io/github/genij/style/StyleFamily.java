package io.github.genij.style;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.WeightTensor;

/**
 * Style transfer: fast style networks (pytorch/examples), AdaIN's encoder and decoder
 * (naoto0804/pytorch-AdaIN) and the VGG-19 feature networks Gatys' method measures with.
 */
public final class StyleFamily implements ModelFamily {

	public static final String NAME = "style";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		Map<String, Object> p = new LinkedHashMap<>();
		if (sd.containsKey("conv1.conv2d.weight") && sd.containsKey("res1.conv1.conv2d.weight")) {
			int blocks = 0;
			while (sd.containsKey("res" + (blocks + 1) + ".conv1.conv2d.weight")) blocks++;
			p.put("residual_blocks", blocks);
			WeightTensor gamma = sd.get("in1.weight");
			p.put("style_count", gamma != null && gamma.shape().length == 2 ? gamma.shape()[0] : 1);
			return new Detection(NAME, "fast_transformer", "byte_range", p);
		}
		VggFeatures.Naming naming = VggFeatures.naming(sd);
		if (naming != null && (sd.containsKey("conv5_1.weight") || sd.containsKey("features.34.weight"))) {
			p.put("widths", VggFeatures.widths(sd, naming));
			return naming == VggFeatures.Naming.GATYS ? new Detection(NAME, "vgg19_gatys", "caffe_bgr", p)
				: new Detection(NAME, "vgg19_torchvision", "imagenet", p);
		}
		WeightTensor w0 = sd.get("0.weight"), w2 = sd.get("2.weight"), w1 = sd.get("1.weight");
		if (w0 != null && w2 != null && Arrays.equals(w0.shape(), new long[] { 3, 3, 1, 1 }))
			return new Detection(NAME, "adain_encoder", "unit", p);
		if (w1 != null && w1.shape().length == 4 && w1.shape()[1] == 512 && w1.shape()[0] == 256 && w0 == null)
			return new Detection(NAME, "adain_decoder", "unit", p);
		return null;
	}

	@Override
	public Module build(String architecture, Map<String, Object> p) {
		switch (architecture) {
			case "fast_transformer":
				return new FastStyleNetwork(p.get("style_count") instanceof Number ? ((Number) p.get("style_count")).intValue() : 1);
			case "adain_encoder": return AdaInNetworks.encoder();
			case "adain_decoder": return AdaInNetworks.decoder();
			case "vgg19_gatys": return new VggFeatures(VggFeatures.Naming.GATYS, widths(p), false);
			case "vgg19_torchvision": return new VggFeatures(VggFeatures.Naming.TORCHVISION, widths(p), false);
			default: throw new GenIJException("Unknown style architecture '" + architecture + "'.");
		}
	}

	/** Block widths from a card (a JSON list comes back as numbers), VGG-19's own when absent. */
	private static int[] widths(Map<String, Object> p) {
		Object w = p.get("widths");
		int[] out = VggFeatures.VGG19_WIDTHS.clone();
		if (w instanceof int[]) return (int[]) w;
		if (w instanceof java.util.List) {
			java.util.List<?> l = (java.util.List<?>) w;
			for (int i = 0; i < Math.min(l.size(), out.length); i++) out[i] = ((Number) l.get(i)).intValue();
		}
		return out;
	}
}
