package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;

/**
 * Images from a StyleGAN2 generator, one per seed, as NVIDIA's {@code generate.py} makes them: the same seed,
 * truncation and noise mode give the same image.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>StyleGAN Sample", headless = true,
	description = "Generates an image per seed with a StyleGAN2 generator (NVIDIA snapshot, rosinality .pt or installed model)")
public class StyleGanSampleCommand extends GeneratorCommand {

	@Parameter(label = "Seeds", persist = false, description = "Numbers and ranges, e.g. 0-7,42 (NVIDIA's --seeds)")
	private String seeds = "0-3";

	@Parameter(label = "Latents file (instead of seeds)", required = false, persist = false,
		description = ".npy/.npz: [N, num_ws, w_dim] ws (NVIDIA's projected_w.npz) or [N, D] z rows (w rows with latentspace=w)")
	private String latents = "";

	@Parameter(label = "Latent rows are", choices = { "z", "w" }, persist = false,
		description = "What the rows of a 2-D latents array are (z_dim usually equals w_dim, so the shape cannot tell)")
	private String latentspace = "z";

	@Parameter(label = "Truncation cutoff", required = false, persist = false,
		description = "Truncate only the first N w's (coarse styles); blank: all")
	private String truncationcutoff = "";

	@Parameter(label = "Noise maps (.npz)", required = false, persist = false,
		description = "One array per noise layer, in layer order, to remake an image made elsewhere: [N, 1, H, W] gives image i row i, [1, 1, H, W] serves all")
	private String noisefile = "";

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "StyleGAN Sample";
	}

	@Override
	protected void execute(Progress progress) {
		boolean fromFile = latents != null && !latents.trim().isEmpty();
		List<Long> list = fromFile ? List.of() : Seeds.parse(seeds, "seeds");
		Integer cutoff = Truncation.cutoff(truncationcutoff);
		NDManager m = manager();
		try (StyleGenerator g = generator(progress)) {
			List<LatentFile.Latent> rows = new ArrayList<>();
			if (fromFile) rows = LatentFile.read(java.nio.file.Paths.get(latents.trim()), latentspace, g);
			else for (long seed : list) rows.add(new LatentFile.Latent("z", NumpyRandom.randn(seed, g.zDim()), "seed " + seed));
			NoiseFile maps = NoiseFile.read(noisefile, rows.size());
			progress.log(g.describe() + ": " + rows.size() + " image(s), truncation " + truncation + (cutoff == null ? "" : " for the first " +
				cutoff + " w's") + ", noise " + (maps != null ? "from " + noisefile.trim() : noise) + ".");
			List<float[]> images = new ArrayList<>();
			List<String> labels = new ArrayList<>();
			for (int i = 0; i < rows.size(); i++) {
				progress.checkCancelled();
				LatentFile.Latent row = rows.get(i);
				progress.status("StyleGAN: " + row.label + " (" + (i + 1) + " of " + rows.size() + ")");
				long noiseSeed = fromFile ? i : list.get(i);
				try (NDManager step = m.newSubManager()) {
					Noise n = maps != null ? maps.forImage(i) : g.noise(noise, noiseSeed);
					images.add(g.synthesise(row.ws(g, classindex, truncation, cutoff, step), n).toFloatArray());
					if (n.unused() > 0) {
						throw new GenIJException("noisefile holds " + n.unused() + " more arrays than this model has noise layers: give one array per " +
							"layer, in layer order.");
					}
				}
				labels.add(row.label);
				progress.progress(i + 1, rows.size());
			}
			result = GeneratedImages.stack(images, labels, g.imageChannels(), g.resolution(), outputType(),
				fromFile ? "stylegan-" + java.nio.file.Paths.get(latents.trim()).getFileName() : "stylegan-seeds-" + seeds.trim());
		}
	}
}
