package io.github.genij.style;

import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;

import ij.ImagePlus;

import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tiling.ImageNetwork;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.ResultImages;
import io.github.genij.ij.StackRunner;
import io.github.genij.ij.TiledImageCommand;

/**
 * Plugins > GenIJ > Style > Style Transfer (Fast): one pass of a trained feed-forward style network
 * (pytorch/examples fast_neural_style checkpoints such as candy.pth, or a conditional-instance-norm model
 * holding several styles, blended with weights).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Style>Style Transfer (Fast)", headless = true,
	description = "Applies a trained fast style network (Johnson et al.) to an image of any size.")
public class StyleTransferFastCommand extends TiledImageCommand {

	@Parameter(label = "Image")
	private ImagePlus input;

	@Parameter(label = "Model", persist = false, description = "A checkpoint file (candy.pth, ...) or an installed model name")
	private String model = "";

	@Parameter(label = "Style weights", required = false, persist = false,
		description = "For models with several styles: one weight per style (0.3,0.7) or by name (candy=0.3,mosaic=0.7)")
	private String styleweights = "";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Style Transfer (Fast)";
	}

	public StyleTransferFastCommand() {
		tilesize = 1536; // instance norm sees a window's statistics: large windows keep the look even
	}

	@Override
	protected void execute(Progress progress) {
		if (model.trim().isEmpty())
			throw new GenIJException("Give model=<checkpoint file or installed model>, e.g. candy.pth from pytorch/examples.");
		boolean gray = RgbPlanes.requireRgbOrGray(input);
		ModelStore.Installed weights = model(model, "model");
		ModelCard card = weights.card;
		if (card != null && !"unknown".equals(card.family) &&
			!(StyleFamily.NAME.equals(card.family) && "fast_transformer".equals(card.architecture))) {
			throw new GenIJException("The model '" + card.name + "' is a " + card.family + " model (" + card.architecture +
				"), not a fast style network.");
		}
		// the card says which values the network was trained with; pytorch/examples' networks take 0..255
		ValuePreset preset = ValuePreset.named(card == null ? null : card.preset, ValuePreset.BYTE_RANGE);
		try (FastStyleNetwork net = FastStyleNetwork.load(weights.weights, manager())) {
			if (!styleweights.trim().isEmpty()) net.blend(parseWeights(styleweights, net.styles(), weights.card));
			else if (net.styles() > 1) progress.log("The model holds " + net.styles() + " styles; using the first.");
			// a gray image is styled as three equal channels; in its own type it gets the luminance back
			int outChannels = gray && outputType() == OutputType.AUTO ? 1 : 3;
			ImageNetwork network = x -> {
				NDArray y = net.forward(gray ? x.repeat(1, 3) : x);
				return outChannels == 1 ? LuminanceTransfer.luma(y) : y;
			};
			TileSpec spec = tiles(input, ReceptiveField.of(net));
			if (isTiled(input, spec)) progress.log("Large image: windows of " + spec.tileSize + " px (instance norm per window)");
			result = StackRunner.apply(input, network, preset, outChannels, spec, outputType(),
				ResultImages.titleFor(input, "styled"), manager(), progress);
		}
	}


	/** "0.3,0.7" by position, or "candy=0.3,mosaic=0.7" by the style names on the model card. */
	@SuppressWarnings("unchecked")
	static double[] parseWeights(String text, int styles, ModelCard card) {
		String[] parts = text.trim().split("[,\\s]+");
		double[] w = new double[styles];
		List<String> names = card == null || !(card.parameters.get("styles") instanceof List) ? null
			: (List<String>) card.parameters.get("styles");
		for (int i = 0; i < parts.length; i++) {
			String p = parts[i];
			int eq = p.indexOf('=');
			int index = i;
			String number = p;
			if (eq > 0) {
				String name = p.substring(0, eq);
				if (names == null || !names.contains(name))
					throw new GenIJException("styleweights names '" + name + "', but the model's styles are " + (names == null ?
						"unnamed: give one number per style" : names) + ".");
				index = names.indexOf(name);
				number = p.substring(eq + 1);
			}
			else if (parts.length != styles) {
				throw new GenIJException("styleweights has " + parts.length + " values; this model holds " + styles + " style(s).");
			}
			try {
				w[index] = Double.parseDouble(number);
			}
			catch (NumberFormatException e) {
				throw new GenIJException("styleweights: '" + number + "' is not a number.");
			}
		}
		return w;
	}
}
