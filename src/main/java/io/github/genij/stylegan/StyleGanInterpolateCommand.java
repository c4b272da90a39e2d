package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * A walk through a generator's latent space from key frame to key frame: spherical in z, or linear in w
 * (after the mapping and truncation). The stack plays in Fiji (Image > Stacks > Animation) and saves as AVI.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>StyleGAN Interpolate", headless = true,
	description = "Frames between the images of key seeds, as a stack to play or save as AVI")
public class StyleGanInterpolateCommand extends GeneratorCommand {

	@Parameter(label = "Key seeds", persist = false, description = "The key frames in order, e.g. 1,5,9")
	private String seeds = "0-2";

	@Parameter(label = "Frames per transition", min = "1", max = "10000", persist = false)
	private int frames = 30;

	@Parameter(label = "Space", choices = { "z", "w" }, persist = false,
		description = "z: along great circles of the latent sphere; w: straight lines in the mapped space (smoother)")
	private String space = "w";

	@Parameter(label = "Loop back to the first key", persist = false)
	private boolean loop = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "StyleGAN Interpolate";
	}

	@Override
	protected void execute(Progress progress) {
		List<Long> keys = Seeds.parse(seeds, "seeds");
		if (keys.size() < 2) throw new io.github.genij.core.GenIJException("seeds=" + seeds + ": give two key seeds or more.");
		int transitions = loop ? keys.size() : keys.size() - 1;
		int total = transitions * frames + (loop ? 0 : 1);
		NDManager m = manager();
		try (StyleGenerator g = generator(progress)) {
			List<float[]> images = new ArrayList<>();
			List<String> labels = new ArrayList<>();
			for (int k = 0; k < total; k++) {
				progress.checkCancelled();
				int from = Math.min(k / frames, transitions - 1);
				double t = k == total - 1 && !loop ? 1 : (k - from * frames) / (double) frames;
				long a = keys.get(from), b = keys.get((from + 1) % keys.size());
				progress.status("StyleGAN: frame " + (k + 1) + " of " + total);
				try (NDManager step = m.newSubManager()) {
					NDArray ws = "z".equals(space.toLowerCase(Locale.ROOT))
						? g.ws(g.w(Latents.slerp(NumpyRandom.randn(a, g.zDim()), NumpyRandom.randn(b, g.zDim()), t), classindex, step),
							truncation, null)
						: lerpW(g, a, b, t, step);
					images.add(g.synthesise(ws, g.noise(noise, keys.get(0))).toFloatArray());
				}
				labels.add(String.format(Locale.ROOT, "seed %d -> %d, t %.3f", a, b, t));
				progress.progress(k + 1, total);
			}
			result = GeneratedImages.stack(images, labels, g.imageChannels(), g.resolution(), outputType(),
				"stylegan-interpolation");
			result.getCalibration().fps = 30;
		}
	}

	/** The truncated w's of seeds a and b, mixed linearly. */
	private NDArray lerpW(StyleGenerator g, long a, long b, double t, NDManager m) {
		NDArray wa = g.ws(g.w(NumpyRandom.randn(a, g.zDim()), classindex, m), truncation, null);
		NDArray wb = g.ws(g.w(NumpyRandom.randn(b, g.zDim()), classindex, m), truncation, null);
		return wa.add(Scalars.times(wb.sub(wa), (float) t));
	}
}
