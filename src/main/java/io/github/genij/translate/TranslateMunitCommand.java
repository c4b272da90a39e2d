package io.github.genij.translate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
import ij.process.FloatProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.NumpyFiles;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageCommand;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.PackedRgb;
import io.github.genij.ij.PhotoValues;

/**
 * Translates an image with an NVlabs/MUNIT or mingyuliutw/UNIT checkpoint ({@code gen_*.pt}: the two domains'
 * generators under {@code a} and {@code b}): the content of the input by its domain's encoder, decoded by the other
 * domain's decoder, with MUNIT's style from an example image of the target domain, a style code file, or drawn from a
 * seed ({@code variations} codes, one result each), as the references' {@code test.py} does.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Translate>Translate (MUNIT, UNIT)", headless = true,
	description = "Translates an image between two domains with a MUNIT or UNIT generator checkpoint (gen_*.pt)")
public class TranslateMunitCommand extends ImageCommand {

	@Parameter(label = "Image", description = "8-bit RGB or grey; a stack slice by slice")
	private ImagePlus input;

	@Parameter(label = "Model (gen_*.pt)", persist = false, description = "A MUNIT or UNIT generator checkpoint: a dict with a and b")
	private String model = "";

	@Parameter(label = "Direction", choices = { "atob", "btoa" }, persist = false, description = "atob: the input is of domain A, the result of B")
	private String direction = "atob";

	@Parameter(label = "Style image (MUNIT)", required = false, persist = false,
		description = "An example of the target domain whose style the results take (encoded by its style encoder)")
	private ImagePlus style;

	@Parameter(label = "Style code (.npy, MUNIT)", required = false, persist = false, description = "A style vector of style_dim values, used instead of a style image")
	private String stylecode = "";

	@Parameter(label = "Seed (MUNIT)", persist = false, description = "Draws the style codes when no style is given (numpy's RandomState(seed).randn)")
	private long seed = 0;

	@Parameter(label = "Variations (MUNIT)", min = "1", max = "1000", persist = false, description = "Results with that many drawn style codes, as a stack")
	private int variations = 1;

	@Parameter(label = "Output size", choices = { "reference", "input" }, persist = false,
		description = "reference: the sides the network gives (each multiple of 2^downsamplings, rounded down, as test.py); input: the " +
			"input padded by reflection to such a multiple and the result cut back to the input's size")
	private String outputsize = "reference";

	@Parameter(label = "Activation", choices = { "relu", "lrelu", "tanh" }, persist = false,
		description = "The config's gen/activ (not in the weights; relu in every released config)")
	private String activ = "relu";

	@Parameter(label = "Padding", choices = { "reflect", "zero" }, persist = false, description = "The config's gen/pad_type (reflect in every released config)")
	private String padtype = "reflect";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Translate (MUNIT, UNIT)";
	}

	@Override
	protected void execute(Progress progress) {
		FinitePixels.require(input);
		if (style != null) FinitePixels.require(style);
		Path file = Paths.get(model == null ? "" : model.trim());
		if (model == null || model.isBlank() || !Files.isRegularFile(file))
			throw new GenIJException("model=" + model + " is not a file: give a MUNIT or UNIT gen_*.pt checkpoint.");
		TorchCheckpoint ckpt = TorchCheckpoint.read(file);
		Map<String, WeightTensor> a = ckpt.under("a"), b = ckpt.under("b");
		if (a.isEmpty() || b.isEmpty()) throw new GenIJException(file + " is not a MUNIT or UNIT generator checkpoint (a dict with a and b, as gen_*.pt).");
		boolean atob = direction.equals("atob");
		MunitParts.Activ act = MunitParts.Activ.of(activ);
		NDManager m = manager();
		boolean reflect = padtype.equals("reflect");
		try (MunitGenerator from = load(atob ? a : b, act, reflect, m, atob ? "a" : "b"); MunitGenerator to = load(atob ? b : a, act, reflect, m, atob ? "b" : "a");
			NDManager step = m.newSubManager())
		{
			if (!from.munit && (style != null || !stylecode.isBlank() || variations > 1))
				throw new GenIJException("This is a UNIT model: it has no style codes; leave style, stylecode and variations out.");
			int w = input.getWidth(), h = input.getHeight(), k = to.multiple();
			if (w < Math.max(4, k * 2) || h < Math.max(4, k * 2)) throw new GenIJException("The image is " + w + "x" + h + "; this model needs at least " + Math.max(4, 2 * k) + " pixels a side.");
			boolean fit = outputsize.equals("input");
			int pw = fit ? (w + k - 1) / k * k : w, ph = fit ? (h + k - 1) / k * k : h;
			NDArray[] codes = styles(to, step);
			// a stack slice by slice (a multi-channel image is one picture: its current position)
			int slices = input.getNChannels() == 1 ? input.getStackSize() : 1;
			progress.log((from.munit ? "MUNIT" : "UNIT") + " " + direction + ": dim " + from.dim + ", " + from.downsamplings + " down-samplings, " +
				from.residualBlocks + " residual blocks" + (from.munit ? ", style from " + styleSource() : "") + "; output " +
				(fit ? "cut back to the input's size" : "at the network's sides (test.py's)") + (slices > 1 ? "; " + slices + " slices" : "") + ".");
			ImageStack out = null;
			for (int slice = 1; slice <= slices; slice++) {
				ImagePlus picture = slices == 1 ? input : slice(slice);
				try (NDManager one = step.newSubManager()) {
					NDArray image = one.create(PhotoValues.of(picture, from.inputDim), new Shape(1, from.inputDim, h, w)).toDevice(device(), false);
					if (fit && (pw != w || ph != h)) image = Padding.reflect(image, 0, pw - w, 0, ph - h);
					NDArray content = from.content(image);
					for (int i = 0; i < codes.length; i++) {
						progress.checkCancelled();
						NDArray y = to.decode(content, codes[i]);
						int ow = (int) y.getShape().get(3), oh = (int) y.getShape().get(2);
						int rw = fit ? w : ow, rh = fit ? h : oh;
						if (out == null) out = new ImageStack(rw, rh);
						String label = (slices > 1 ? "slice " + slice : input.getTitle()) + (codes.length > 1 ? ", variation " + (i + 1) : "");
						addSlice(out, y.toFloatArray(), to.inputDim, ow, oh, rw, rh, label);
						progress.progress((long) (slice - 1) * codes.length + i + 1, (long) slices * codes.length);
					}
				}
			}
			result = new ImagePlus(input.getShortTitle() + "-" + (from.munit ? "munit" : "unit") + "-" + direction, out);
			if (outputType() == OutputType.FLOAT32 && to.inputDim > 1) result.setDimensions(to.inputDim, codes.length * slices, 1);
			if (outputType() == OutputType.FLOAT32) result.setDisplayRange(-1, 1);
		}
	}

	/** Slice {@code n} as an image of its own, 16/32-bit ones keeping the image's display range (which maps them to 8 bits). */
	private ImagePlus slice(int n) {
		ij.process.ImageProcessor ip = input.getStack().getProcessor(n);
		if (input.getBitDepth() == 16 || input.getBitDepth() == 32) ip.setMinAndMax(input.getDisplayRangeMin(), input.getDisplayRangeMax());
		return new ImagePlus(input.getTitle(), ip);
	}

	private static MunitGenerator load(Map<String, WeightTensor> sd, MunitParts.Activ activ, boolean reflect, NDManager m, String domain) {
		return Module.loaded(MunitGenerator.of(sd, activ, reflect), sd, m, "The generator of domain " + domain);
	}

	private String styleSource() {
		if (style != null) return "'" + style.getTitle() + "'";
		if (!stylecode.isBlank()) return stylecode;
		return variations + " code(s) drawn from seed " + seed;
	}

	/** MUNIT's style codes: the style image's, the file's, or {@code variations} drawn from the seed; UNIT: none. */
	private NDArray[] styles(MunitGenerator to, NDManager m) {
		if (!to.munit) return new NDArray[] { null };
		if (style != null) {
			int least = Math.max(4, 1 << to.styleDownsamplings);
			if (style.getWidth() < least || style.getHeight() < least)
				throw new GenIJException("The style image is " + style.getWidth() + "x" + style.getHeight() + "; the style encoder needs at least " + least +
					" pixels a side.");
			NDArray img = m.create(PhotoValues.of(style, to.inputDim), new Shape(1, to.inputDim, style.getHeight(), style.getWidth())).toDevice(device(), false);
			return new NDArray[] { to.style(img) };
		}
		if (!stylecode.isBlank()) {
			Path p = Paths.get(stylecode.trim());
			if (!Files.isRegularFile(p)) throw new GenIJException("stylecode=" + stylecode + " is not a file: give a .npy of " + to.styleDim + " values.");
			double[] v = NumpyFiles.read(p).values().iterator().next().values;
			if (v.length != to.styleDim) throw new GenIJException("stylecode=" + stylecode + " holds " + v.length + " values; this model's codes have " + to.styleDim + ".");
			return new NDArray[] { m.create(NumpyRandom.toFloat32(v), new Shape(1, to.styleDim, 1, 1)).toDevice(device(), false) };
		}
		// test.py's torch.randn(num_style, style_dim, 1, 1), here numpy's RandomState(seed).randn in the same order
		float[] all = NumpyRandom.randnFloat32(seed, variations * to.styleDim);
		NDArray[] codes = new NDArray[variations];
		for (int i = 0; i < variations; i++) {
			float[] one = new float[to.styleDim];
			System.arraycopy(all, i * to.styleDim, one, 0, to.styleDim);
			codes[i] = m.create(one, new Shape(1, to.styleDim, 1, 1)).toDevice(device(), false);
		}
		return codes;
	}

	/** One result, {@code [C, oh, ow]} in -1..1, cut to rw × rh: RGB as the reference's tensor2im, grey 8-bit, or float32 planes. */
	private void addSlice(ImageStack out, float[] y, int channels, int ow, int oh, int rw, int rh, String label) {
		int plane = ow * oh;
		if (outputType() == OutputType.FLOAT32 || channels != 3) {
			for (int c = 0; c < channels; c++) {
				float[] v = new float[rw * rh];
				for (int yy = 0; yy < rh; yy++) System.arraycopy(y, c * plane + yy * ow, v, yy * rw, rw);
				FloatProcessor fp = new FloatProcessor(rw, rh, v);
				if (outputType() == OutputType.FLOAT32) out.addSlice(label, fp);
				else {
					fp.setMinAndMax(-1, 1);
					out.addSlice(label, fp.convertToByteProcessor(true));
				}
			}
			return;
		}
		out.addSlice(label, PackedRgb.of(y, ow, oh, rw, rh, v -> PhotoValues.toByte((float) v)));
	}
}
