package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * NVIDIA's {@code style_mixing.py}: each row seed's w's with the column seed's at the chosen indices (coarse
 * indices carry pose and shape, fine ones colour and texture). {@code result} holds the mixes (rows outer,
 * columns inner); {@code grid} the montage NVIDIA draws: a blank corner, the column images across the top,
 * the row images down the side.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>StyleGAN Style Mixing", headless = true,
	description = "Mixes the styles of row and column seeds, as NVIDIA's style_mixing.py")
public class StyleGanStyleMixingCommand extends GeneratorCommand {

	@Parameter(label = "Row seeds", persist = false, description = "The images whose other styles are kept, e.g. 85,100,75")
	private String rowseeds = "0-2";

	@Parameter(label = "Column seeds", persist = false, description = "The images whose chosen styles are taken, e.g. 55,821")
	private String colseeds = "3-5";

	@Parameter(label = "Styles from the columns", persist = false,
		description = "w indices taken from the column seed (NVIDIA's --styles; 0-6 are the coarse ones)")
	private String styles = "0-6";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus grid;

	@Override
	protected String displayName() {
		return "StyleGAN Style Mixing";
	}

	@Override
	protected void execute(Progress progress) {
		List<Long> rows = Seeds.parse(rowseeds, "rowseeds"), cols = Seeds.parse(colseeds, "colseeds");
		List<Integer> chosen = new ArrayList<>();
		for (long s : Seeds.parse(styles, "styles")) chosen.add((int) s);
		NDManager m = manager();
		try (StyleGenerator g = generator(progress)) {
			if (!g.hasStyleSpace()) throw new GenIJException("StyleGAN Style Mixing mixes styles; " + g.describe() + " has none to mix (use Sample or Interpolate).");
			Map<Long, NDArray> ws = new LinkedHashMap<>();
			for (long seed : concat(rows, cols))
				ws.computeIfAbsent(seed, s -> g.ws(g.w(NumpyRandom.randn(s, g.zDim()), classindex, m), truncation, null));
			int total = rows.size() * cols.size() + ws.size(), done = 0;
			Map<Long, float[]> plain = new LinkedHashMap<>();
			for (Map.Entry<Long, NDArray> e : ws.entrySet()) {
				progress.checkCancelled();
				plain.put(e.getKey(), render(g, e.getValue(), e.getKey(), m));
				progress.progress(++done, total);
			}
			List<float[]> mixes = new ArrayList<>();
			List<String> labels = new ArrayList<>();
			for (long r : rows) {
				for (long c : cols) {
					progress.checkCancelled();
					progress.status("StyleGAN: row " + r + ", column " + c);
					mixes.add(render(g, StyleMixing.mix(ws.get(r), ws.get(c), chosen), r, m));
					labels.add("row " + r + " col " + c);
					progress.progress(++done, total);
				}
			}
			int size = g.resolution(), ch = g.imageChannels();
			result = GeneratedImages.stack(mixes, labels, ch, size, outputType(), "stylegan-mixing");
			grid = GeneratedImages.grid(plain, rows, cols, mixes, ch, size, outputType(), "stylegan-mixing-grid");
		}
	}

	/** One image, its intermediate arrays freed at once. */
	private float[] render(StyleGenerator g, NDArray ws, long seed, NDManager m) {
		try (NDManager step = m.newSubManager()) {
			NDArray w = ws.duplicate();
			w.attach(step);
			return g.synthesise(w, g.noise(noise, seed)).toFloatArray();
		}
	}

	private static List<Long> concat(List<Long> a, List<Long> b) {
		List<Long> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}
}
