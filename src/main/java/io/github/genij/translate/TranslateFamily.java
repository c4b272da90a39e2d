package io.github.genij.translate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.WeightTensor;

/**
 * Image-to-image translation (pix2pix, CycleGAN): recognises the reference's generators (junyanz/
 * pytorch-CycleGAN-and-pix2pix) from their keys, sizes from their shapes.
 */
public final class TranslateFamily implements ModelFamily {

	public static final String NAME = "translate";

	private static final Pattern RESNET_BLOCK = Pattern.compile("^model\\.(\\d+)\\.conv_block\\.");
	private static final Pattern MODEL_DEPTH = Pattern.compile("model\\.");

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		Detection d = resnet(sd);
		return d != null ? d : unet(sd);
	}

	@Override
	public Module build(String architecture, Map<String, Object> parameters) {
		return Generators.build(architecture, parameters);
	}

	/** ResnetGenerator: model.1 is the 7x7 stem, model.N.conv_block.* the residual blocks. */
	private static Detection resnet(Map<String, WeightTensor> sd) {
		TreeSet<Integer> blocks = new TreeSet<>();
		for (String k : sd.keySet()) {
			Matcher m = RESNET_BLOCK.matcher(k);
			if (m.find()) blocks.add(Integer.parseInt(m.group(1)));
		}
		WeightTensor stem = sd.get("model.1.weight");
		if (blocks.isEmpty() || stem == null || stem.shape().length != 4 || stem.shape()[2] != 7) return null;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("input_nc", stem.shape()[1]);
		p.put("ngf", stem.shape()[0]);
		p.put("n_blocks", blocks.size());
		WeightTensor last = null;
		for (Map.Entry<String, WeightTensor> e : sd.entrySet())
			if (e.getKey().endsWith(".weight") && e.getValue().shape().length == 4 && e.getValue().shape()[2] == 7) last = e.getValue();
		p.put("output_nc", last.shape()[0]);
		p.put("norm", sd.containsKey("model.2.weight") || sd.containsKey("model.2.running_mean") ? "batch" : "instance");
		// with dropout a block's second conv sits at 6 (a 4-D weight); without, a batch norm's 1-D weight may
		p.put("dropout", is4d(sd.get("model." + blocks.first() + ".conv_block.6.weight")) ? "on" : "off");
		return new Detection(NAME, "resnet_" + blocks.size() + "blocks", "symmetric", p);
	}

	private static boolean is4d(WeightTensor w) {
		return w != null && w.shape().length == 4;
	}

	/** UnetGenerator: nested skip blocks, model.model.0 the outermost down-convolution. */
	private static Detection unet(Map<String, WeightTensor> sd) {
		WeightTensor first = sd.get("model.model.0.weight");
		if (first == null || first.shape().length != 4) return null;
		int deepest = 0;
		for (String k : sd.keySet()) {
			Matcher m = MODEL_DEPTH.matcher(k);
			int n = 0;
			while (m.find()) n++;
			deepest = Math.max(deepest, n);
		}
		int downs = deepest - 1;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("input_nc", first.shape()[1]);
		p.put("ngf", first.shape()[0]);
		p.put("num_downs", downs);
		WeightTensor outer = sd.get("model.model.3.weight"); // outermost up-convolution: [inner*2, output_nc, 4, 4]
		if (outer != null && outer.shape().length == 4) p.put("output_nc", outer.shape()[1]);
		// the second block is [LeakyReLU, down-conv, down-norm, submodule, ...]: a batch norm at 2 has running stats
		p.put("norm", sd.containsKey("model.model.1.model.2.running_mean") ? "batch" : "instance");
		return new Detection(NAME, "unet_" + (1 << downs), "symmetric", p);
	}
}
