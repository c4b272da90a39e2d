package io.github.genij.seg2photo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

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
import io.github.genij.core.weights.NumpyFiles;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.PhotoValues;

/**
 * A photo-like image from a label image with a ZPdesu/SEAN generator, each region in the style of a region of a style
 * image: one style code per label, encoded from {@code style} over its own label image {@code stylelabels} (as SEAN's
 * test path encodes them), and/or read from a codes folder in SEAN's layout ({@code <label>/ACE.npy}), which also
 * mixes styles per region: put another image's {@code <label>/ACE.npy} in the folder. Labels without a code get a zero
 * code, as in the reference.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Segmentation to Photo>Segmentation to Photo (SEAN)", headless = true,
	description = "Synthesises an image from a label image with a SEAN generator (latest_net_G.pth), a style per region")
public class SegmentationToPhotoSeanCommand extends LabelImageCommand {

	static final String CODE_FILE = "ACE.npy";

	@Parameter(label = "Model", persist = false, description = "latest_net_G.pth of ZPdesu/SEAN, or an installed model name")
	private String model = "";

	@Parameter(label = "Style image", required = false, persist = false,
		description = "An 8-bit RGB (or grey) image whose regions give the style codes, with its own label image (stylelabels)")
	private ImagePlus style;

	@Parameter(label = "Style labels", required = false, persist = false,
		description = "The style image's label image (same size, same classes and labelmap as labels)")
	private ImagePlus stylelabels;

	@Parameter(label = "Style codes folder", required = false, persist = false, style = "directory",
		description = "SEAN's layout: <label>/ACE.npy per label; these codes are used instead of, or on top of, those of the style image")
	private File stylecodes;

	@Parameter(label = "Region styles", required = false, persist = false,
		description = "label=folder pairs: those labels take their code from another codes folder (<folder>/<label>/ACE.npy), e.g. " +
			"3=/styles/b — one region in another image's style")
	private String regionstyles = "";

	@Parameter(label = "Save codes to", required = false, persist = false, style = "directory",
		description = "Writes the codes encoded from the style image as <label>/ACE.npy (never over an existing file), to reuse or mix")
	private File savecodes;

	@Parameter(label = "Up-sampling layers", choices = { "normal", "more" }, persist = false,
		description = "The model's --num_upsampling_layers ('normal' and 'more' look the same in the weights)")
	private String upsampling = "normal";

	@Parameter(label = "Noise", choices = { "off", "on" }, persist = false,
		description = "on: the per-pixel noise the reference adds before every ACE norm (× noise_var), drawn from seed; off: none, reproducible")
	private String noise = "off";

	@Parameter(label = "Seed (noise=on)", persist = false)
	private long seed = 0;

	@Override
	protected String displayName() {
		return "Segmentation to Photo (SEAN)";
	}

	@Override
	protected void execute(Progress progress) {
		checkLabels();
		if (style != null) FinitePixels.require(style); // an unusable image says so before any pairing rule
		if (stylelabels != null) FinitePixels.require(stylelabels);
		if (style == null && stylecodes == null && (regionstyles == null || regionstyles.isBlank()))
			throw new GenIJException("SEAN needs styles: give style= (an image) with stylelabels= (its label image), or stylecodes=<folder of <label>/ACE.npy>.");
		if (style != null && stylelabels == null)
			throw new GenIJException("style= needs stylelabels=, the style image's own label image (SEAN encodes a code per region).");
		if (stylelabels != null && style == null)
			throw new GenIJException("stylelabels= is the style image's label image: give style= (the image) too.");
		if (savecodes != null && style == null) throw new GenIJException("savecodes= writes the codes of a style image: give style= and stylelabels=.");
		ModelStore.Installed installed = model(model, "model");
		Map<Integer, Integer> map = useModel(installed);
		NDManager m = manager();
		Map<String, Object> p = Seg2PhotoFamily.parameters(installed, Seg2PhotoFamily.SEAN);
		SpadeGenerator.Depth depth = SpadeGenerator.Depth.valueOf(upsampling.toUpperCase(Locale.ROOT));
		try (SeanGenerator g = Module.loaded(Seg2PhotoFamily.buildSean(p, depth), installed.weights, m, "The SEAN generator")) {
			applyStatistics(g);
			float[][] codes = new float[g.labelChannels][];
			List<String> from = new ArrayList<>();
			if (style != null) {
				float[][] encoded = encode(g, map, m);
				for (int j = 0; j < codes.length; j++) codes[j] = encoded[j];
				from.add("'" + style.getTitle() + "' (" + count(encoded) + " regions)");
				if (savecodes != null) progress.log("Codes written to " + save(encoded, savecodes.toPath()));
			}
			if (stylecodes != null) {
				int read = read(stylecodes.toPath(), codes, g.styleLength);
				from.add(stylecodes + " (" + read + " labels)");
			}
			for (Map.Entry<Integer, Path> e : regionStyles(g.labelChannels).entrySet()) {
				Path file = e.getValue().resolve(String.valueOf(e.getKey())).resolve(CODE_FILE);
				if (!Files.isRegularFile(file)) throw new GenIJException("regionstyles: " + file + " does not exist (a codes folder holds <label>/" + CODE_FILE + ").");
				codes[e.getKey()] = code(file, g.styleLength);
				from.add("label " + e.getKey() + " from " + e.getValue());
			}
			progress.log("SEAN: " + g.labelChannels + " classes, ngf " + g.ngf + ", style length " + g.styleLength + "; codes from " +
				String.join(" and ", from) + "; " + (g.labelChannels - count(codes)) + " label(s) without a code (zero); noise " + noise + ".");
			int w = labels.getWidth(), h = labels.getHeight(), n = labels.getStackSize();
			ImageStack out = new ImageStack(w, h);
			for (int i = 1; i <= n; i++) {
				progress.checkCancelled();
				progress.status("SEAN: slice " + i + " of " + n);
				SemanticInput in = SemanticInput.of(labelValues(i), w, h, map, g.labelChannels, null, false, g.multiple());
				try (NDManager step = m.newSubManager()) {
					NDArray seg = step.create(in.values, new Shape(1, g.labelChannels, in.height, in.width)).toDevice(device(), false);
					addSlice(out, g.forward(seg, codes, noise.equals("on") ? noiseMaps(seed + i - 1) : null), in.width, in.height,
						labels.getStack().getSliceLabel(i));
				}
				progress.progress(i, n);
			}
			finish(out, "sean");
		}
	}

	/** The style image's codes over its own labels (mapped as the labels are). */
	private float[][] encode(SeanGenerator g, Map<Integer, Integer> map, NDManager m) {
		FinitePixels.require(style);
		if (style.getBitDepth() != 8 && style.getBitDepth() != 24)
			throw new GenIJException("style= must be an 8-bit RGB or grey image (the reference reads 8-bit photos); convert it with Image > Type.");
		if (stylelabels.getWidth() != style.getWidth() || stylelabels.getHeight() != style.getHeight()) {
			throw new GenIJException("The style labels are " + stylelabels.getWidth() + "x" + stylelabels.getHeight() + " but the style image is " +
				style.getWidth() + "x" + style.getHeight() + ": give the style image's own label image.");
		}
		requireIntegers(stylelabels, "a label image", "classes");
		int w = style.getWidth(), h = style.getHeight();
		SemanticInput in = SemanticInput.of(ints(stylelabels.getProcessor()), w, h, map, g.labelChannels, null, false, 1);
		try (NDManager step = m.newSubManager()) {
			NDArray image = step.create(PhotoValues.of(style, 3), new Shape(1, 3, h, w)).toDevice(device(), false);
			return g.styleCodes(image, in.classes);
		}
	}

	/** The label=folder pairs of {@code regionstyles}. */
	private Map<Integer, Path> regionStyles(int labels) {
		Map<Integer, Path> out = new java.util.LinkedHashMap<>();
		if (regionstyles == null || regionstyles.isBlank()) return out;
		for (String pair : regionstyles.split(",")) {
			int eq = pair.indexOf('=');
			String label = eq < 0 ? "" : pair.substring(0, eq).trim();
			if (!label.matches("\\d+") || Integer.parseInt(label) >= labels)
				throw new GenIJException("regionstyles=" + regionstyles + ": '" + pair.trim() + "' is not label=folder with a label from 0 to " + (labels - 1) +
					" (e.g. 3=/styles/b).");
			out.put(Integer.parseInt(label), Path.of(pair.substring(eq + 1).trim()));
		}
		return out;
	}

	/** Reads {@code <folder>/<label>/ACE.npy} for every label that has one, over what {@code codes} holds. */
	static int read(Path folder, float[][] codes, int styleLength) {
		if (!Files.isDirectory(folder)) throw new GenIJException("stylecodes=" + folder + " is not a folder of <label>/" + CODE_FILE + ".");
		int read = 0;
		for (int j = 0; j < codes.length; j++) {
			Path f = folder.resolve(String.valueOf(j)).resolve(CODE_FILE);
			if (!Files.isRegularFile(f)) continue;
			codes[j] = code(f, styleLength);
			read++;
		}
		if (read == 0) throw new GenIJException("stylecodes=" + folder + " holds no <label>/" + CODE_FILE + " for labels 0 to " + (codes.length - 1) + ".");
		return read;
	}

	/** One label's code, {@code <label>/ACE.npy}: {@code styleLength} values. */
	private static float[] code(Path file, int styleLength) {
		NumpyFiles.Array a = NumpyFiles.read(file).values().iterator().next();
		if (a.values.length != styleLength)
			throw new GenIJException(file + " holds " + a.values.length + " values; this model's style codes have " + styleLength + ".");
		float[] code = new float[styleLength];
		for (int c = 0; c < styleLength; c++) code[c] = (float) a.values[c];
		return code;
	}

	/** Writes every code as {@code <folder>/<label>/ACE.npy} (float32, as SEAN's test path saves them); refuses to overwrite. */
	static Path save(float[][] codes, Path folder) {
		for (int j = 0; j < codes.length; j++)
			if (codes[j] != null && Files.exists(folder.resolve(String.valueOf(j)).resolve(CODE_FILE)))
				throw new GenIJException(folder.resolve(String.valueOf(j)).resolve(CODE_FILE) + " already exists; GenIJ does not overwrite files. " +
					"Choose another savecodes folder.");
		try {
			for (int j = 0; j < codes.length; j++) {
				if (codes[j] == null) continue;
				Path dir = Files.createDirectories(folder.resolve(String.valueOf(j)));
				double[] v = new double[codes[j].length];
				for (int c = 0; c < v.length; c++) v[c] = codes[j][c];
				NumpyFiles.writeNpy(dir.resolve(CODE_FILE), new NumpyFiles.Array(new long[] { v.length }, v));
			}
		}
		catch (java.io.IOException e) {
			throw new GenIJException("Cannot write the codes into " + folder + ": " + e.getMessage(), e);
		}
		return folder;
	}

	private static int count(float[][] codes) {
		int n = 0;
		for (float[] c : codes) if (c != null) n++;
		return n;
	}

	/**
	 * The reference's noise, one map per ACE in its order: N(0, 1) per pixel (the same for every channel, scaled by
	 * noise_var), drawn from numpy's {@code RandomState(seed)} where the reference uses torch's generator.
	 */
	private static Function<NDArray, NDArray> noiseMaps(long seed) {
		NumpyRandom r = new NumpyRandom(seed & 0xffffffffL);
		return x -> {
			int h = (int) x.getShape().get(2), w = (int) x.getShape().get(3);
			float[] v = new float[h * w];
			for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
			return x.getManager().create(v, new Shape(1, 1, h, w)).toType(x.getDataType(), false).toDevice(x.getDevice(), false);
		};
	}
}
