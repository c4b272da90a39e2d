package io.github.genij.stylegan;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.NumpyFiles;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.LossPlot;

/**
 * NVIDIA's projector: the w with which the generator draws (about) the given image, as {@link Projector}
 * describes (and with its two differences from NVIDIA's: a pixel distance, numpy's draws). The image is
 * centre-cropped to a square and resized to the generator's resolution, as {@code projector.py} does. The
 * result is the generator's image of that w with its own noise; {@code wfile} keeps w as NVIDIA's
 * {@code projected_w.npz}, which StyleGAN Sample's {@code latents} and NVIDIA's {@code generate.py} take.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>StyleGAN>StyleGAN Project", headless = true,
	description = "Finds the latent w that makes the generator draw a given image (NVIDIA's projector)")
public class StyleGanProjectCommand extends GeneratorCommand {

	@Parameter(label = "Image", description = "The image to project (its current slice): RGB or gray, cropped to a square and resized to the model's size")
	private ImagePlus image;

	@Parameter(label = "Steps", min = "1", max = "100000", persist = false, description = "Optimisation steps (NVIDIA: 1000)")
	private int steps = 1000;

	@Parameter(label = "Seed", persist = false, description = "Draws the starting noise maps and the w jitter")
	private long seed = 0;

	@Parameter(label = "Noise regularisation", min = "0", persist = false, description = "Weight of the noise maps' whiteness penalty (NVIDIA: 1e5)")
	private double noiseregularize = 1e5;

	@Parameter(label = "Save w as (.npz)", required = false, persist = false,
		description = "Writes the projected w ([1, num_ws, w_dim], key w), as NVIDIA's projected_w.npz; never over an existing file")
	private String wfile = "";

	@Parameter(label = "Features (vgg16.pt)", required = false, persist = false, style = "open",
		description = "NVIDIA's vgg16.pt (TorchScript): the LPIPS distance NVIDIA's projector uses; empty: the mean squared pixel difference")
	private File features;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "StyleGAN Project";
	}

	@Override
	protected void execute(Progress progress) {
		FinitePixels.require(image);
		Path out = wfile == null || wfile.isBlank() ? null : Paths.get(wfile.trim());
		if (out != null) {
			if (!out.getFileName().toString().endsWith(".npz")) throw new GenIJException("wfile=" + wfile + ": give a .npz file name.");
			if (Files.exists(out)) throw new GenIJException(out + " already exists; GenIJ does not overwrite files. Choose another name.");
			Path dir = out.toAbsolutePath().getParent();
			if (dir == null || !Files.isDirectory(dir)) throw new GenIJException("The folder for " + out + " does not exist.");
		}
		NDManager m = manager();
		try (StyleGan2 g = styleGan2(); LpipsFeatures lpips = features == null ? null : LpipsFeatures.load(features.toPath(), device(), true)) {
			if (g.arch.cDim > 0) throw new GenIJException("Projecting into a class-conditional model is not supported yet.");
			int r = g.arch.resolution, c = g.arch.imageChannels;
			float[] target = targetValues(image, r, c);
			progress.log("Projecting '" + image.getTitle() + "' (" + r + "x" + r + ") into " + g.arch + ": " + steps + " steps, seed " + seed +
				"; distance: " + (lpips == null ? "mean squared pixel difference (NVIDIA uses LPIPS: give features=vgg16.pt)" : lpips.describe()) + ".");
			LossPlot plot = new LossPlot("StyleGAN Project: " + image.getTitle() + " (distance per step)", "step");
			NDArray t = m.create(target, new Shape(1, c, r, r)).toDevice(device(), false);
			float[] w = Projector.project(g, t, lpips, steps, seed, (float) noiseregularize, (step, dist, loss) -> {
				plot.add(step + 1, dist);
				if (step % 50 == 49 || step == steps - 1) plot.refresh();
				if (step % 100 == 99 || step == steps - 1) progress.log(String.format("step %d of %d: distance %.5f, loss %.5f", step + 1, steps, dist, loss));
			}, progress, m);
			try (NDManager s = m.newSubManager()) {
				NDArray ws = s.create(w, new Shape(1, g.arch.wDim)).toDevice(device(), false).expandDims(1).repeat(1, g.numWs());
				float[] img = g.synthesise(ws, Noise.of("const", 0)).toFloatArray();
				result = GeneratedImages.stack(List.of(img), List.of("projection of " + image.getTitle()), c, r, outputType(),
					image.getShortTitle() + "-projected");
				if (out != null) {
					double[] all = new double[g.numWs() * g.arch.wDim];
					for (int i = 0; i < all.length; i++) all[i] = w[i % g.arch.wDim];
					NumpyFiles.writeNpz(out, Map.of("w", new NumpyFiles.Array(new long[] { 1, g.numWs(), g.arch.wDim }, all)));
					progress.log("w written to " + out);
				}
			}
		}
	}

	/** The image as the generator's values: centre square, resized, -1..1 ({@code x / 127.5 - 1} of 8-bit values). */
	static float[] targetValues(ImagePlus imp, int r, int channels) {
		int w = imp.getWidth(), h = imp.getHeight(), side = Math.min(w, h);
		ImageProcessor ip = imp.getProcessor().duplicate();
		ip.setRoi((w - side) / 2, (h - side) / 2, side, side);
		ip = ip.crop();
		ip.setInterpolationMethod(ImageProcessor.BICUBIC);
		if (side != r) ip = ip.resize(r, r, true);
		boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
		float[] v = new float[channels * r * r];
		for (int i = 0; i < r * r; i++) {
			for (int c = 0; c < channels; c++) {
				double value;
				if (rgb) {
					int p = ip.get(i);
					value = channels == 1 ? (((p >> 16) & 255) * 0.299 + ((p >> 8) & 255) * 0.587 + (p & 255) * 0.114) : (p >> (16 - 8 * c)) & 255;
				}
				else value = toByteRange(imp, ip.getf(i));
				v[c * r * r + i] = (float) (value / 127.5 - 1);
			}
		}
		return v;
	}

	/** A gray value in 0..255: 8-bit as it is, 16- and 32-bit through the image's display range. */
	private static double toByteRange(ImagePlus imp, float value) {
		if (imp.getBitDepth() == 8) return value;
		double lo = imp.getDisplayRangeMin(), hi = imp.getDisplayRangeMax();
		return hi > lo ? Math.max(0, Math.min(255, (value - lo) / (hi - lo) * 255)) : 0;
	}
}
