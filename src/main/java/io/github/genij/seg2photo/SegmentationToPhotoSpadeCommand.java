package io.github.genij.seg2photo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageCommand;
import io.github.genij.ij.OutputType;

/**
 * A photo-like image from a label image with an NVlabs/SPADE generator: each label value is a class (or
 * mapped to one with {@code labelmap}), optional instance ids add the edge channel, stacks slice by slice.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Segmentation to Photo>Segmentation to Photo (SPADE)", headless = true,
	description = "Synthesises an image from a label image with a SPADE generator (latest_net_G.pth)")
public class SegmentationToPhotoSpadeCommand extends ImageCommand {

	@Parameter(label = "Label image", description = "8- or 16-bit; each value a class (see labelmap)")
	private ImagePlus labels;

	@Parameter(label = "Model", persist = false, description = "latest_net_G.pth of NVlabs/SPADE, or an installed model name")
	private String model = "";

	@Parameter(label = "Label map", required = false, persist = false,
		description = "value=class pairs for values that are not the model's class numbers, e.g. 255=0,7=3")
	private String labelmap = "";

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

	@Parameter(label = "Batch-norm statistics", choices = { "running", "image" }, persist = false,
		description = "running: the stored ones (the reference's test mode); image: each slice's own")
	private String bnstats = "running";

	@Parameter(label = "Seed (VAE models)", persist = false, description = "Draws the style vector z of a model trained with --use_vae")
	private long seed = 0;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Segmentation to Photo (SPADE)";
	}

	@Override
	protected void execute(Progress progress) {
		FinitePixels.require(labels); // a float image with NaN says so first
		int type = labels.getType();
		if (type != ImagePlus.GRAY8 && type != ImagePlus.GRAY16) {
			throw new GenIJException("'" + labels.getTitle() + "' is not a label image: give an 8- or 16-bit image whose values are classes.");
		}
		if (instances != null) {
			FinitePixels.require(instances);
			if (instances.getType() != ImagePlus.GRAY8 && instances.getType() != ImagePlus.GRAY16) {
				throw new GenIJException("'" + instances.getTitle() + "' is not an instance image: give an 8- or 16-bit image of instance ids.");
			}
		}
		if (instances != null && (instances.getWidth() != labels.getWidth() || instances.getHeight() != labels.getHeight())) {
			throw new GenIJException("The instance image is " + instances.getWidth() + "x" + instances.getHeight() + " but the labels are " +
				labels.getWidth() + "x" + labels.getHeight() + ".");
		}
		Map<Integer, Integer> map = parseLabelMap(labelmap);
		ModelStore.Installed installed = model(model, "model");
		NDManager m = manager();
		Map<String, Object> p = detection(installed);
		SpadeGenerator.Depth depth = upsampling.equals("auto") ? null : SpadeGenerator.Depth.valueOf(upsampling.toUpperCase(Locale.ROOT));
		try (SpadeGenerator g = Module.loaded(Seg2PhotoFamily.build(p, depth), installed.weights, m, "The SPADE generator")) {
			if (bnstats.equals("image")) {
				for (io.github.genij.core.nn.module.BatchNorm bn : g.modulesOf(io.github.genij.core.nn.module.BatchNorm.class))
					bn.use(io.github.genij.core.nn.module.BatchNorm.Statistics.IMAGE);
			}
			boolean edges = instancechannel.equals("yes") || instancechannel.equals("auto") && instances != null;
			if (instancechannel.equals("no") && instances != null) throw new GenIJException("instances= was given with instancechannel=no.");
			int classes = g.labelChannels - (edges ? 1 : 0);
			progress.log("SPADE: " + classes + " classes" + (edges ? " and the instance-edge channel" : "") + ", ngf " + g.ngf + ", " +
				g.depth.name().toLowerCase(Locale.ROOT) + " up-sampling" + (g.zDim > 0 ? ", style from seed " + seed : "") + ".");
			int w = labels.getWidth(), h = labels.getHeight(), n = labels.getStackSize();
			ImageStack out = new ImageStack(w, h);
			for (int i = 1; i <= n; i++) {
				progress.checkCancelled();
				progress.status("SPADE: slice " + i + " of " + n);
				SemanticInput in = SemanticInput.of(ints(labels.getStack().getProcessor(i)), w, h, map, classes,
					instances == null ? null : ints(instances.getStack().getProcessor(Math.min(i, instances.getStackSize()))), edges,
					g.multiple());
				try (NDManager step = m.newSubManager()) {
					NDArray seg = step.create(in.values, new Shape(1, g.labelChannels, in.height, in.width)).toDevice(device(), false);
					NDArray z = g.zDim == 0 ? null : step.create(floats(NumpyRandom.randn(seed, g.zDim)),
						new Shape(1, g.zDim)).toDevice(device(), false);
					float[] y = g.forward(seg, z).toFloatArray();
					addSlices(out, y, in.width, in.height, w, h, labels.getStack().getSliceLabel(i));
				}
				progress.progress(i, n);
			}
			result = new ImagePlus(labels.getShortTitle() + "-spade", out);
			if (outputType() == OutputType.FLOAT32) {
				result.setDimensions(3, n, 1);
				result.setDisplayRange(-1, 1);
			}
		}
	}

	/** The card's parameters, or those the weights show. */
	private static Map<String, Object> detection(ModelStore.Installed installed) {
		if (installed.card != null && Seg2PhotoFamily.NAME.equals(installed.card.family)) return installed.card.parameters;
		if (installed.card != null && installed.card.family != null) {
			throw new GenIJException("'" + installed.card.name + "' is a " + installed.card.family + " model, not a SPADE generator.");
		}
		io.github.genij.core.weights.ArchitectureDetector.Detection d = new Seg2PhotoFamily().recognise(
			io.github.genij.core.weights.ImportRewrites.foldSpectralNorm(installed.weights));
		if (d == null) throw new GenIJException("These weights are not an NVlabs/SPADE generator (latest_net_G.pth).");
		return d.parameters;
	}

	private void addSlices(ImageStack out, float[] y, int pw, int ph, int w, int h, String label) {
		int plane = pw * ph;
		if (outputType() == OutputType.FLOAT32) {
			for (int c = 0; c < 3; c++) {
				float[] v = new float[w * h];
				for (int yy = 0; yy < h; yy++) System.arraycopy(y, c * plane + yy * pw, v, yy * w, w);
				out.addSlice(label, new FloatProcessor(w, h, v));
			}
			return;
		}
		int[] px = new int[w * h];
		for (int yy = 0; yy < h; yy++) {
			for (int xx = 0; xx < w; xx++) {
				int i = yy * pw + xx;
				px[yy * w + xx] = toByte(y[i]) << 16 | toByte(y[plane + i]) << 8 | toByte(y[2 * plane + i]);
			}
		}
		out.addSlice(label, new ColorProcessor(w, h, px));
	}

	/** SPADE's {@code tensor2im}: (x + 1) / 2 · 255, truncated to 0..255. */
	static int toByte(float x) {
		float v = (x + 1) / 2f * 255f;
		return v <= 0 || Float.isNaN(v) ? 0 : v >= 255 ? 255 : (int) v;
	}

	static Map<Integer, Integer> parseLabelMap(String text) {
		Map<Integer, Integer> map = new LinkedHashMap<>();
		if (text == null || text.isBlank()) return map;
		for (String pair : text.split(",")) {
			String[] kv = pair.trim().split("=");
			try {
				if (kv.length != 2) throw new NumberFormatException();
				map.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
			}
			catch (NumberFormatException e) {
				throw new GenIJException("labelmap=" + text + ": '" + pair.trim() + "' is not value=class (e.g. 255=0).");
			}
		}
		return map;
	}

	private static int[] ints(ImageProcessor ip) {
		int[] v = new int[ip.getWidth() * ip.getHeight()];
		for (int i = 0; i < v.length; i++) v[i] = ip.get(i);
		return v;
	}

	private static float[] floats(double[] d) {
		float[] f = new float[d.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
		return f;
	}
}
