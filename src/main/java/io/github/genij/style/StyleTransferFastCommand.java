package io.github.genij.style;

import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.core.tiling.TiledRunner;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.ImageCommand;
import io.github.genij.ij.ResultImages;

/**
 * Plugins > GenIJ > Style > Style Transfer (Fast): one pass of a trained feed-forward style network
 * (pytorch/examples fast_neural_style checkpoints such as candy.pth, or a conditional-instance-norm model
 * holding several styles, blended with weights).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Style>Style Transfer (Fast)", headless = true,
	description = "Applies a trained fast style network (Johnson et al.) to an image of any size.")
public class StyleTransferFastCommand extends ImageCommand {

	@Parameter(label = "Image")
	private ImagePlus input;

	@Parameter(label = "Model", persist = false, description = "A checkpoint file (candy.pth, ...) or an installed model name")
	private String model = "";

	@Parameter(label = "Style weights", required = false, persist = false,
		description = "For models with several styles: one weight per style (0.3,0.7) or by name (candy=0.3,mosaic=0.7)")
	private String styleweights = "";

	@Parameter(label = "Tile size", min = "64", persist = false,
		description = "Larger images run in tiles of this side; instance norm then sees each tile's statistics")
	private int tilesize = 1536;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Style Transfer (Fast)";
	}

	@Override
	protected void execute(Progress progress) {
		if (model.trim().isEmpty())
			throw new GenIJException("Give model=<checkpoint file or installed model>, e.g. candy.pth from pytorch/examples.");
		ModelStore.Installed weights = ModelStore.defaultStore().resolve(model, "model");
		ModelCard card = weights.card;
		NDManager manager = manager();
		try (FastStyleNetwork net = FastStyleNetwork.load(weights.weights, manager)) {
			if (!styleweights.trim().isEmpty()) net.blend(parseWeights(styleweights, net.styles(), card));
			else if (net.styles() > 1) progress.log("The model holds " + net.styles() + " styles; using the first.");
			RgbPlanes in = RgbPlanes.of(input), out = RgbPlanes.blank(in.width, in.height, in.range, in.gray);
			ChannelMapping bytes = ValuePreset.BYTE_RANGE.mapping(ValueRange.BYTE, 3);
			if (in.width <= tilesize && in.height <= tilesize) {
				NDArray x = ImageTensors.toTensor(in.asImg(), bytes, manager).toDevice(device(), false);
				ImageTensors.toImage(net.forward(x), bytes.inverse(), out.asImg());
			}
			else {
				progress.log("Large image: tiles of " + tilesize + " px (instance norm per tile)");
				new TiledRunner(x -> net.forward(x.toDevice(device(), false)).toDevice(x.getDevice(), false),
					new TileSpec(tilesize, 64, 32, FastStyleNetwork.MULTIPLE), progress)
						.run(in.asImg(), bytes, out.asImg(), bytes.inverse(), manager);
			}
			result = out.toImage(input, outputType(), ResultImages.titleFor(input, "styled"));
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
