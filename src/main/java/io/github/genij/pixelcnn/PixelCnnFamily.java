package io.github.genij.pixelcnn;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.genij.core.GenIJException;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.WeightTensor;

/**
 * PixelCNN++ checkpoints in pclucas14's layout (its {@code torch.save(model.state_dict())}, from DataParallel or
 * not; weight norm folded before this is asked): the image channels from {@code u_init} (which also reads a
 * channel of ones), {@code nr_filters} from its output, {@code nr_resnet} from the blocks of the first up stage,
 * {@code nr_logistic_mix} from {@code nin_out}.
 */
public final class PixelCnnFamily implements ModelFamily {

	public static final String NAME = "pixelcnn", PIXELCNN_PP = "pixelcnn++", GRAYSCALE = "grayscale", PYRAMID = "pyramid";

	/** Card parameters of the auxiliary-variable models (with {@code input_channels}, {@code nr_filters}, {@code nr_logistic_mix}). */
	static final String CONDITIONAL_BLOCKS = "conditional_blocks", CONDITIONING_LEVELS = "conditioning_levels",
		CONDITIONING_BLOCKS = "conditioning_blocks", PYRAMID_LEVELS = "pyramid_levels";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		if (sd.containsKey("grey.u_init.conv.weight") && sd.containsKey("colour.u_init.conv.weight")) return grayscale(sd);
		if (sd.containsKey("scales.0.u_init.conv.weight")) return pyramid(sd);
		WeightTensor init = sd.get("u_init.conv.weight"), out = sd.get("nin_out.lin_a.weight");
		if (init == null || out == null || init.shape().length != 4 || out.shape().length != 2) return null;
		int channels = (int) init.shape()[1] - 1;
		if (channels != 1 && channels != 3) return null;
		int blocks = 0;
		while (sd.containsKey("up_layers.0.u_stream." + blocks + ".conv_input.conv.weight")) blocks++;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("input_channels", channels);
		p.put("nr_resnet", blocks);
		p.put("nr_filters", init.shape()[0]);
		p.put("nr_logistic_mix", out.shape()[0] / LogisticMixture.parametersPerMixture(channels));
		return new Detection(NAME, PIXELCNN_PP, "symmetric", p);
	}

	/** A Grayscale PixelCNN's state dict: the grey PixelCNN++ under {@code grey.}, the colour stack under {@code colour.}. */
	private Detection grayscale(Map<String, WeightTensor> sd) {
		Detection grey = recognise(under(sd, "grey."));
		if (grey == null || ((Number) grey.parameters.get("input_channels")).intValue() != 1) return null;
		Map<String, Object> p = new LinkedHashMap<>(grey.parameters);
		p.put("input_channels", (int) sd.get("colour.u_init.conv.weight").shape()[1] - 1);
		stack(sd, "colour.", p);
		return new Detection(NAME, GRAYSCALE, "symmetric", p);
	}

	/** A Pyramid PixelCNN's: one conditional stack per level under {@code scales.k.}. */
	private Detection pyramid(Map<String, WeightTensor> sd) {
		Map<String, Object> p = new LinkedHashMap<>();
		WeightTensor init = sd.get("scales.0.u_init.conv.weight"), out = sd.get("scales.0.nin_out.lin_a.weight");
		if (init == null || out == null || init.shape().length != 4 || out.shape().length != 2) return null;
		int channels = (int) init.shape()[1] - 1, levels = 0;
		if (channels != 1 && channels != 3) return null;
		while (sd.containsKey("scales." + levels + ".u_init.conv.weight")) levels++;
		p.put("input_channels", channels);
		p.put(PYRAMID_LEVELS, levels);
		p.put("nr_filters", init.shape()[0]);
		p.put("nr_logistic_mix", out.shape()[0] / LogisticMixture.parametersPerMixture(channels));
		stack(sd, "scales.0.", p);
		return new Detection(NAME, PYRAMID, "symmetric", p);
	}

	/** A conditional stack's block count and its conditioning network's shape, from the keys under {@code prefix}. */
	private static void stack(Map<String, WeightTensor> sd, String prefix, Map<String, Object> p) {
		int blocks = 0, downsamples = 0, downBlocks = 0;
		while (sd.containsKey(prefix + "u_stream." + blocks + ".conv_input.conv.weight")) blocks++;
		while (sd.containsKey(prefix + "conditioning.downsample." + downsamples + ".weight")) downsamples++;
		while (sd.containsKey(prefix + "conditioning.down_blocks." + downBlocks + ".conv_input.conv.weight")) downBlocks++;
		p.put(CONDITIONAL_BLOCKS, blocks);
		p.put(CONDITIONING_LEVELS, downsamples + 1);
		p.put(CONDITIONING_BLOCKS, downBlocks / (downsamples + 1));
	}

	private static Map<String, WeightTensor> under(Map<String, WeightTensor> sd, String prefix) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		sd.forEach((k, v) -> {
			if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
		});
		return out;
	}

	/**
	 * The network as its weights are stored: weight-normed ({@code weight_g}, {@code weight_v}) for a model GenIJ
	 * trained (card parameter {@code weight_norm}), so that Model Info counts parameters as PyTorch does for the
	 * reference's model; folded otherwise. Inference always folds ({@link #buildPixelCnn}).
	 */
	@Override
	public Module build(String architecture, Map<String, Object> p) {
		return buildModel(architecture, p, Boolean.TRUE.equals(p.get(WEIGHT_NORM)));
	}

	/** Card parameter: the stored weights keep weight norm's g and v (models Train PixelCNN made). */
	static final String WEIGHT_NORM = "weight_norm";

	/** The variant {@code architecture} names, from its card parameters; {@code weightNorm}: as trained, else folded. */
	static PixelModel buildModel(String architecture, Map<String, Object> p, boolean weightNorm) {
		int channels = number(p, "input_channels"), filters = number(p, "nr_filters"), mixtures = number(p, "nr_logistic_mix");
		if (PIXELCNN_PP.equals(architecture) || architecture == null)
			return new PixelCnnPP(channels, number(p, "nr_resnet"), filters, mixtures, weightNorm);
		if (GRAYSCALE.equals(architecture))
			return new GrayscalePixelCnn(channels, number(p, "nr_resnet"), filters, mixtures, number(p, CONDITIONAL_BLOCKS), number(p, CONDITIONING_LEVELS),
				number(p, CONDITIONING_BLOCKS), weightNorm);
		if (PYRAMID.equals(architecture))
			return new PyramidPixelCnn(channels, number(p, PYRAMID_LEVELS), filters, mixtures, number(p, CONDITIONAL_BLOCKS), number(p, CONDITIONING_LEVELS),
				number(p, CONDITIONING_BLOCKS), weightNorm);
		throw new GenIJException("Unknown PixelCNN architecture '" + architecture + "': pixelcnn++, grayscale or pyramid.");
	}

	private static int number(Map<String, Object> p, String key) {
		Object v = p.get(key);
		if (!(v instanceof Number)) throw new GenIJException("The PixelCNN model's parameter " + key + " is missing.");
		return ((Number) v).intValue();
	}
}
