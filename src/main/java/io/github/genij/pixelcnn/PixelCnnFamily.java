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

	public static final String NAME = "pixelcnn", PIXELCNN_PP = "pixelcnn++";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
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

	/**
	 * The network as its weights are stored: weight-normed ({@code weight_g}, {@code weight_v}) for a model GenIJ
	 * trained (card parameter {@code weight_norm}), so that Model Info counts parameters as PyTorch does for the
	 * reference's model; folded otherwise. Inference always folds ({@link #buildPixelCnn}).
	 */
	@Override
	public Module build(String architecture, Map<String, Object> p) {
		if (!PIXELCNN_PP.equals(architecture)) throw new GenIJException("Unknown PixelCNN architecture '" + architecture + "': pixelcnn++.");
		return new PixelCnnPP(number(p, "input_channels"), number(p, "nr_resnet"), number(p, "nr_filters"), number(p, "nr_logistic_mix"),
			Boolean.TRUE.equals(p.get(WEIGHT_NORM)));
	}

	/** Card parameter: the stored weights keep weight norm's g and v (models Train PixelCNN made). */
	static final String WEIGHT_NORM = "weight_norm";

	static PixelCnnPP buildPixelCnn(Map<String, Object> p) {
		return new PixelCnnPP(number(p, "input_channels"), number(p, "nr_resnet"), number(p, "nr_filters"), number(p, "nr_logistic_mix"));
	}

	private static int number(Map<String, Object> p, String key) {
		Object v = p.get(key);
		if (!(v instanceof Number)) throw new GenIJException("The PixelCNN model's parameter " + key + " is missing.");
		return ((Number) v).intValue();
	}
}
