package io.github.genij.seg2photo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImageStack;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelStore;

/**
 * A photo-like image from a label image with a boschresearch/OASIS generator ({@code *_EMA.pth}): its 3-D
 * noise z drawn from {@code seed}, and for the labels listed in {@code regionseeds} from their own seeds, so
 * one region can be re-drawn while the rest of the image stays.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Segmentation to Photo>Segmentation to Photo (OASIS)", headless = true,
	description = "Synthesises an image from a label image with an OASIS generator (best_EMA.pth / latest_EMA.pth)")
public class SegmentationToPhotoOasisCommand extends LabelImageCommand {

	@Parameter(label = "Model", persist = false, description = "OASIS's <name>/models/latest_EMA.pth (or best_EMA.pth), or an installed model name")
	private String model = "";

	@Parameter(label = "Noise channels (z_dim)", min = "1", persist = false,
		description = "The model's --z_dim (64 by default; the weights show only labels + z_dim)")
	private int zdim = 64;

	@Parameter(label = "Seed", persist = false, description = "Draws z for the whole image (numpy's RandomState(seed).randn)")
	private long seed = 0;

	@Parameter(label = "Region seeds", required = false, persist = false,
		description = "class=seed pairs: those classes' pixels get z from their own seed, e.g. 3=7,5=12")
	private String regionseeds = "";

	@Override
	protected String displayName() {
		return "Segmentation to Photo (OASIS)";
	}

	@Override
	protected void execute(Progress progress) {
		checkLabels();
		ModelStore.Installed installed = model(model, "model");
		Map<Integer, Integer> map = useModel(installed);
		Map<Integer, Long> regions = new LinkedHashMap<>();
		parsePairs(regionseeds, "regionseeds", "class=seed (e.g. 3=7)").forEach((c, s) -> regions.put(c, (long) s));
		NDManager m = manager();
		Map<String, Object> p = new LinkedHashMap<>(Seg2PhotoFamily.parameters(installed, Seg2PhotoFamily.OASIS));
		p.put("z_dim", zdim);
		try (OasisGenerator g = Module.loaded(Seg2PhotoFamily.buildOasis(p), installed.weights, m, "The OASIS generator")) {
			applyStatistics(g);
			progress.log("OASIS: " + g.labelChannels + " classes, z of " + g.zDim + " from seed " + seed +
				(regions.isEmpty() ? "" : ", regions " + regions) + ", channels_G " + g.channels + ".");
			int w = labels.getWidth(), h = labels.getHeight(), n = labels.getStackSize();
			ImageStack out = new ImageStack(w, h);
			for (int i = 1; i <= n; i++) {
				progress.checkCancelled();
				progress.status("OASIS: slice " + i + " of " + n);
				SemanticInput in = SemanticInput.of(labelValues(i), w, h, map, g.labelChannels, null, false,
					g.multiple());
				try (NDManager step = m.newSubManager()) {
					float[] z = OasisNoise.map(in.classes, in.width, in.height, g.zDim, seed, regions);
					addSlice(out, g.forward(step.create(in.values, new Shape(1, g.labelChannels, in.height, in.width)).toDevice(device(), false),
						step.create(z, new Shape(1, g.zDim, in.height, in.width)).toDevice(device(), false)), in.width, in.height,
						labels.getStack().getSliceLabel(i));
				}
				progress.progress(i, n);
			}
			finish(out, "oasis");
		}
	}
}
