package io.github.genij.seg2photo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.PhotoValues;

/**
 * A photo-like image from a label image with an NVlabs/SPADE generator: each label value is a class (or
 * mapped to one with {@code labelmap}), optional instance ids add the edge channel, stacks slice by slice.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Segmentation to Photo>Segmentation to Photo (SPADE)", headless = true,
	description = "Synthesises an image from a label image with a SPADE generator (latest_net_G.pth)")
public class SegmentationToPhotoSpadeCommand extends LabelImageCommand {

	@Parameter(label = "Model", persist = false, description = "latest_net_G.pth of NVlabs/SPADE, or an installed model name")
	private String model = "";

	@Parameter(label = "Instance ids", required = false, persist = false,
		description = "An image of instance ids (the reference's instance maps): its edges become the model's instance channel")
	private ImagePlus instances;

	@Parameter(label = "Instance channel", choices = { "auto", "yes", "no" }, persist = false,
		description = "Whether the model's last input channel is the instance edges (the reference's default, unless trained with " +
			"--no_instance); auto: yes when instance ids are given")
	private String instancechannel = "auto";

	@Parameter(label = "Up-sampling layers", choices = { "auto", "normal", "more", "most" }, persist = false,
		description = "The model's --num_upsampling_layers; 'normal' and 'more' look the same in the weights (auto: most if " +
			"the weights have up_4, else normal)")
	private String upsampling = "auto";

	@Parameter(label = "Seed (VAE models)", persist = false, description = "Draws the style vector z of a model trained with --use_vae")
	private long seed = 0;

	@Parameter(label = "Style image (VAE models)", required = false, persist = false,
		description = "For a model trained with --use_vae: an image whose style the result takes, encoded by the model's latest_net_E.pth " +
			"(instead of a seed)")
	private ImagePlus style;

	@Parameter(label = "Style encoder (latest_net_E.pth)", required = false, persist = false,
		description = "The encoder trained with the model; empty: the *_net_E.pth beside a *_net_G.pth model file")
	private String encoder = "";

	@Override
	protected String displayName() {
		return "Segmentation to Photo (SPADE)";
	}

	@Override
	protected void execute(Progress progress) {
		checkLabels();
		if (style != null) FinitePixels.require(style);
		if (instances != null) {
			FinitePixels.require(instances);
			requireIntegers(instances, "an instance image", "instance ids");
			if (instances.getWidth() != labels.getWidth() || instances.getHeight() != labels.getHeight()) {
				throw new GenIJException("The instance image is " + instances.getWidth() + "x" + instances.getHeight() + " but the labels are " +
					labels.getWidth() + "x" + labels.getHeight() + ".");
			}
		}
		if (instancechannel.equals("no") && instances != null) throw new GenIJException("instances= was given with instancechannel=no.");
		ModelStore.Installed installed = model(model, "model");
		Map<Integer, Integer> map = useModel(installed);
		NDManager m = manager();
		SpadeGenerator.Depth depth = upsampling.equals("auto") ? null : SpadeGenerator.Depth.valueOf(upsampling.toUpperCase(Locale.ROOT));
		Map<String, Object> p = Seg2PhotoFamily.parameters(installed, Seg2PhotoFamily.SPADE);
		try (SpadeGenerator g = Module.loaded(Seg2PhotoFamily.buildSpade(p, depth), installed.weights, m, "The SPADE generator")) {
			applyStatistics(g);
			boolean edges = instancechannel.equals("yes") || instancechannel.equals("auto") && instances != null;
			int classes = g.labelChannels - (edges ? 1 : 0);
			float[] styleVector = styleVector(g, progress);
			progress.log("SPADE: " + classes + " classes" + (edges ? " and the instance-edge channel" : "") + ", ngf " + g.ngf + ", " +
				g.depth.name().toLowerCase(Locale.ROOT) + " up-sampling" + (g.zDim == 0 ? "" : styleVector != null ? ", style from '" +
					style.getTitle() + "'" : ", style from seed " + seed) + ".");
			int w = labels.getWidth(), h = labels.getHeight(), n = labels.getStackSize();
			ImageStack out = new ImageStack(w, h);
			for (int i = 1; i <= n; i++) {
				progress.checkCancelled();
				progress.status("SPADE: slice " + i + " of " + n);
				SemanticInput in = SemanticInput.of(labelValues(i), w, h, map, classes,
					instances == null ? null : ints(instances.getStack().getProcessor(Math.min(i, instances.getStackSize()))), edges,
					g.multiple());
				try (NDManager step = m.newSubManager()) {
					NDArray seg = step.create(in.values, new Shape(1, g.labelChannels, in.height, in.width)).toDevice(device(), false);
					NDArray z = g.zDim == 0 ? null : step.create(styleVector != null ? styleVector : NumpyRandom.randnFloat32(seed, g.zDim),
						new Shape(1, g.zDim)).toDevice(device(), false);
					addSlice(out, g.forward(seg, z), in.width, in.height, labels.getStack().getSliceLabel(i));
				}
				progress.progress(i, n);
			}
			finish(out, "spade");
		}
	}

	/** The style image's vector through the model's encoder (its mean), or null when no style image is given. */
	private float[] styleVector(SpadeGenerator g, Progress progress) {
		if (style == null) return null;
		if (g.zDim == 0) throw new GenIJException("style= is for SPADE models trained with --use_vae; this one takes its style from the labels alone.");
		FinitePixels.require(style);
		if (style.getBitDepth() != 8 && style.getBitDepth() != 24)
			throw new GenIJException("style= must be an 8-bit grey or RGB image (the reference reads 8-bit photos); convert it with Image > Type.");
		Path file = encoderFile();
		Map<String, io.github.genij.core.weights.WeightTensor> sd = io.github.genij.core.weights.Weights.stateDict(file);
		try (NDManager m = manager().newSubManager(); SpadeEncoder e = Module.loaded(SpadeEncoder.of(sd), sd, m, "The SPADE style encoder " + file)) {
			if (e.zDim != g.zDim)
				throw new GenIJException("The encoder " + file + " makes style vectors of " + e.zDim + " values; this generator takes " + g.zDim + ".");
			progress.log("Style of '" + style.getTitle() + "' encoded by " + file.getFileName() + " (its mean vector).");
			NDArray image = m.create(PhotoValues.of(style, 3), new Shape(1, 3, style.getHeight(), style.getWidth())).toDevice(device(), false);
			return e.forward(image).toFloatArray();
		}
	}

	private Path encoderFile() {
		String given = encoder == null ? "" : encoder.trim();
		if (!given.isEmpty()) {
			Path p = Paths.get(given);
			if (!Files.isRegularFile(p)) throw new GenIJException("encoder=" + given + " is not a file: give the latest_net_E.pth trained with the model.");
			return p;
		}
		Path m = Paths.get(model.trim());
		String name = m.getFileName() == null ? "" : m.getFileName().toString();
		if (name.endsWith("net_G.pth")) {
			Path beside = m.resolveSibling(name.substring(0, name.length() - "net_G.pth".length()) + "net_E.pth");
			if (Files.isRegularFile(beside)) return beside;
		}
		throw new GenIJException("style= needs the model's style encoder: give encoder=<latest_net_E.pth>, the file trained with the generator.");
	}
}
