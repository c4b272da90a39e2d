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
 * more up-sampling differ by no weight: the user says which, normal by default as in the reference); and
 * boschresearch/OASIS generators ({@code *_EMA.pth}).
 */
public final class Seg2PhotoFamily implements ModelFamily {

	public static final String NAME = "seg2photo", SPADE = "spade", OASIS = "oasis", SEAN = "sean";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		Detection oasis = oasis(sd);
		if (oasis != null) return oasis;
		Detection sean = sean(sd);
		if (sean != null) return sean;
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

	/**
	 * OASIS's EMA generator: SPADE blocks under {@code body.N} with norms named {@code first_norm}; its fc takes
	 * labels and z together (the split is the reference's default, z_dim 64, unless a command says otherwise).
	 */
	private static Detection oasis(Map<String, WeightTensor> sd) {
		WeightTensor fc = sd.get("fc.weight"), first = sd.get("body.0.conv_0.weight");
		if (fc == null || first == null || !sd.containsKey("body.0.norm_0.first_norm.running_mean")) return null;
		int blocks = 0;
		while (sd.containsKey("body." + blocks + ".conv_0.weight")) blocks++;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("input_nc", fc.shape()[1]);
		p.put("z_dim", Math.min(64, fc.shape()[1] - 1));
		p.put("channels_G", first.shape()[0] / 16);
		p.put("num_res_blocks", blocks);
		return new Detection(NAME, OASIS, "symmetric", p);
	}

	/** ZPdesu/SEAN's generator: SPADE's skeleton with ACE norms and a Zencoder in the same state dict. */
	private static Detection sean(Map<String, WeightTensor> sd) {
		WeightTensor fc = sd.get("fc.weight"), mu = sd.get("head_0.ace_0.fc_mu0.weight"), z = sd.get("Zencoder.model.1.weight");
		if (fc == null || mu == null || z == null) return null;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("semantic_nc", fc.shape()[1]);
		p.put("ngf", fc.shape()[0] / 16);
		p.put("style_length", mu.shape()[0]);
		p.put("zencoder_ngf", z.shape()[0]);
		return new Detection(NAME, SEAN, "symmetric", p);
	}

	@Override
	public Module build(String architecture, Map<String, Object> p) {
		if (SPADE.equals(architecture)) return buildSpade(p, null);
		if (OASIS.equals(architecture)) return buildOasis(p);
		if (SEAN.equals(architecture)) return buildSean(p, null);
		throw new GenIJException("Unknown segmentation-to-photo architecture '" + architecture + "': spade, sean or oasis.");
	}

	/** The SEAN generator a detection's parameters describe, with {@code depth} (null: normal). */
	static SeanGenerator buildSean(Map<String, Object> p, SpadeGenerator.Depth depth) {
		return new SeanGenerator(number(p, "semantic_nc"), number(p, "ngf"), depth == null ? SpadeGenerator.Depth.NORMAL : depth,
			number(p, "style_length"), number(p, "zencoder_ngf"));
	}

	/** The OASIS generator; labels = input channels - z_dim. */
	static OasisGenerator buildOasis(Map<String, Object> p) {
		int input = number(p, "input_nc"), z = number(p, "z_dim");
		if (z >= input) throw new GenIJException("zdim=" + z + " leaves no label channels: this OASIS model takes " + input + " channels in all.");
		return new OasisGenerator(input - z, z, number(p, "channels_G"), number(p, "num_res_blocks"));
	}

	/**
	 * The parameters of {@code architecture} for an installed model or file: its card's, or those its weights
	 * show; refused when it is another kind of model.
	 */
	static Map<String, Object> parameters(io.github.genij.core.weights.ModelStore.Installed installed, String architecture) {
		if (installed.card != null && installed.card.family != null) {
			if (NAME.equals(installed.card.family) && architecture.equals(installed.card.architecture)) return installed.card.parameters;
			throw new GenIJException("'" + installed.card.name + "' is a " + installed.card.family + "/" + installed.card.architecture +
				" model, not " + architecture + ".");
		}
		Detection d = new Seg2PhotoFamily().recognise(io.github.genij.core.weights.ImportRewrites.foldSpectralNorm(installed.weights));
		if (d == null || !architecture.equals(d.architecture)) {
			throw new GenIJException("These weights are not " + (architecture.equals(SPADE) ? "an NVlabs/SPADE generator (latest_net_G.pth)"
				: architecture.equals(SEAN) ? "a ZPdesu/SEAN generator (latest_net_G.pth)" : "an OASIS generator (*_EMA.pth)") +
				(d == null ? "." : " but " + d.architecture + "."));
		}
		return d.parameters;
	}

	/** The SPADE generator a detection's parameters describe; {@code depth} overrides the recorded up-sampling (null: keep). */
	static SpadeGenerator buildSpade(Map<String, Object> p, SpadeGenerator.Depth depth) {
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
