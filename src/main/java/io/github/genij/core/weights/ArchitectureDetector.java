package io.github.genij.core.weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the reference architectures from a state dict's key names and infers their sizes from its
 * shapes, so users can import {@code latest_net_G.pth} without knowing how it was trained.
 */
public final class ArchitectureDetector {

	/** What was recognised: family, architecture, the parameters to build it, its value preset. */
	public static final class Detection {
		public final String family, architecture, preset;
		public final Map<String, Object> parameters;

		Detection(String family, String architecture, String preset, Map<String, Object> parameters) {
			this.family = family;
			this.architecture = architecture;
			this.preset = preset;
			this.parameters = parameters;
		}

		@Override
		public String toString() {
			return family + "/" + architecture + " " + parameters;
		}
	}

	private static final Pattern RESNET_BLOCK = Pattern.compile("^model\\.(\\d+)\\.conv_block\\.");
	private static final Pattern MODEL_DEPTH = Pattern.compile("model\\.");

	private ArchitectureDetector() {}

	/** The architecture these keys belong to, or null if none is recognised. */
	public static Detection detect(Map<String, WeightTensor> sd) {
		Detection d = resnetGenerator(sd);
		if (d == null) d = unetGenerator(sd);
		if (d == null) d = styleNetworks(sd);
		return d;
	}

	/** CycleGAN/pix2pix ResnetGenerator: model.1 is the 7x7 stem, model.N.conv_block.* the residual blocks. */
	private static Detection resnetGenerator(Map<String, WeightTensor> sd) {
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
		p.put("dropout", hasDropout(sd, "model." + blocks.first() + ".conv_block.", 6) ? "on" : "off");
		return new Detection("translate", "resnet_" + blocks.size() + "blocks", "symmetric", p);
	}

	/**
	 * A block with dropout has its second conv at index 6 of conv_block instead of 5 (without dropout, a
	 * batch norm's 1-D weight sits at 6: only a 4-D weight there is a conv).
	 */
	private static boolean hasDropout(Map<String, WeightTensor> sd, String block, int secondConv) {
		WeightTensor w = sd.get(block + secondConv + ".weight");
		return w != null && w.shape().length == 4;
	}

	/** pix2pix UnetGenerator: nested skip blocks, model.model.0 the outermost down-convolution. */
	private static Detection unetGenerator(Map<String, WeightTensor> sd) {
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
		return new Detection("translate", "unet_" + (1 << downs), "symmetric", p);
	}

	private static Detection styleNetworks(Map<String, WeightTensor> sd) {
		Map<String, Object> p = new LinkedHashMap<>();
		if (sd.containsKey("conv1.conv2d.weight") && sd.containsKey("res1.conv1.conv2d.weight")) {
			int blocks = 0;
			while (sd.containsKey("res" + (blocks + 1) + ".conv1.conv2d.weight")) blocks++;
			p.put("residual_blocks", blocks);
			return new Detection("style", "fast_transformer", "byte_range", p);
		}
		if (sd.containsKey("conv1_1.weight") && sd.containsKey("conv5_1.weight"))
			return new Detection("style", "vgg19_gatys", "caffe_bgr", p);
		if (sd.containsKey("features.0.weight") && sd.containsKey("features.34.weight"))
			return new Detection("style", "vgg19_torchvision", "imagenet", p);
		WeightTensor w0 = sd.get("0.weight"), w2 = sd.get("2.weight"), w1 = sd.get("1.weight");
		if (w0 != null && w2 != null && java.util.Arrays.equals(w0.shape(), new long[] { 3, 3, 1, 1 }))
			return new Detection("style", "adain_encoder", "unit", p);
		if (w1 != null && w1.shape().length == 4 && w1.shape()[1] == 512 && w1.shape()[0] == 256 && w0 == null)
			return new Detection("style", "adain_decoder", "unit", p);
		return null;
	}
}
