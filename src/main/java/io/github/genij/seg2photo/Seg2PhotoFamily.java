package io.github.genij.seg2photo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.WeightTensor;

/**
 * Segmentation to photo: NVlabs/SPADE generators ({@code latest_net_G.pth}), recognised by their SPADE
 * residual blocks; the input channels, width, VAE latent and the 'most' depth from the shapes (normal and
 * more up-sampling differ by no weight: the user says which, normal by default as in the reference).
 */
public final class Seg2PhotoFamily implements ModelFamily {

	public static final String NAME = "seg2photo", SPADE = "spade";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		WeightTensor shared = sd.get("head_0.norm_0.mlp_shared.0.weight"), head = sd.get("head_0.conv_0.weight");
		if (shared == null || head == null || !sd.containsKey("conv_img.weight")) return null;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("semantic_nc", shared.shape()[1]);
		int ngf = (int) (head.shape()[0] / 16);
		p.put("ngf", ngf);
		WeightTensor fc = sd.get("fc.weight");
		boolean vae = fc != null && fc.shape().length == 2;
		p.put("z_dim", vae ? fc.shape()[1] : 0);
		if (vae) p.put("vae_cells", fc.shape()[0] / (16L * ngf));
		p.put("num_upsampling_layers", sd.containsKey("up_4.conv_0.weight") ? "most" : "normal");
		return new Detection(NAME, SPADE, "symmetric", p);
	}

	@Override
	public Module build(String architecture, Map<String, Object> p) {
		if (!SPADE.equals(architecture)) throw new GenIJException("Unknown segmentation-to-photo architecture '" + architecture + "': spade.");
		return build(p, null);
	}

	/** The generator a detection's parameters describe; {@code depth} overrides the recorded up-sampling (null: keep). */
	static SpadeGenerator build(Map<String, Object> p, SpadeGenerator.Depth depth) {
		SpadeGenerator.Depth d = depth != null ? depth
			: SpadeGenerator.Depth.valueOf(String.valueOf(p.getOrDefault("num_upsampling_layers", "normal")).toUpperCase(Locale.ROOT));
		return new SpadeGenerator(number(p, "semantic_nc"), number(p, "ngf"), d, number(p, "z_dim"),
			p.containsKey("vae_cells") ? number(p, "vae_cells") : 0);
	}

	private static int number(Map<String, Object> p, String key) {
		Object v = p.get(key);
		if (!(v instanceof Number)) throw new GenIJException("The SPADE model's parameter " + key + " is missing.");
		return ((Number) v).intValue();
	}
}
