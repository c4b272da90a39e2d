package io.github.genij.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tiling.ImageNetwork;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.SyntheticImages;
import io.github.genij.ij.OutputType;
import io.github.genij.ij.StackRunner;

/**
 * The foundation's own demo: a fixed convolutional network (unsharp masking with a 5x5 Gaussian, per
 * channel) run over a synthetic micrograph whole and in 256-pixel tiles, showing that tiling changes
 * nothing but memory use.
 */
final class TilingDemo implements DemoStep {

	private static final int WIDTH = 1536, HEIGHT = 1024;

	@Override
	public int order() {
		return 0;
	}

	@Override
	public String title() {
		return "Tiled network (unsharp mask) on a synthetic micrograph";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		ImagePlus input = SyntheticImages.cells(WIDTH, HEIGHT, 2026);
		try (NDManager manager = GenIJEngine.get().newBaseManager()) {
			ImageNetwork sharpen = unsharpMask(manager, 3, 1.5f);
			long t0 = System.nanoTime();
			ImagePlus whole = StackRunner.apply(input, sharpen, ValuePreset.UNIT, 3, new TileSpec(4096, 4, 0, 1),
				OutputType.AUTO, "sharpened-whole", manager, Progress.NONE);
			long t1 = System.nanoTime();
			ImagePlus tiled = StackRunner.apply(input, sharpen, ValuePreset.UNIT, 3, new TileSpec(256, 4, 8, 1),
				OutputType.AUTO, "sharpened-tiled", manager, Progress.NONE);
			long t2 = System.nanoTime();
			int worst = maxChannelDifference(whole, tiled);
			out.printf("  whole image %dx%d: %.0f ms; in 256-px tiles: %.0f ms; largest difference: %d grey level(s)%n",
				WIDTH, HEIGHT, (t1 - t0) / 1e6, (t2 - t1) / 1e6, worst);
			Path in = folder.resolve("tiling-input.png"), result = folder.resolve("tiling-sharpened.png");
			ImageFiles.save(input, in, true);
			ImageFiles.save(tiled, result, true);
			out.println("  wrote " + in + " and " + result);
			input.setTitle("input: synthetic cells");
			tiled.setTitle("unsharp mask, tiled");
			return Arrays.asList(input, tiled);
		}
	}

	/** x + amount * (x - gauss(x)): a depthwise network of fixed weights, receptive-field radius 2. */
	static ImageNetwork unsharpMask(NDManager manager, int channels, float amount) {
		float[] g1 = { 1, 4, 6, 4, 1 };
		float[] k = new float[25 * channels];
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < 5; y++)
				for (int x = 0; x < 5; x++) k[c * 25 + y * 5 + x] = g1[y] * g1[x] / 256f;
		NDArray gauss = manager.create(k, new Shape(channels, 1, 5, 5));
		return x -> {
			NDArray blurred = io.github.genij.core.nn.Convolutions.conv2d(x, gauss.toDevice(x.getDevice(), false), null, new Shape(1, 1),
				new Shape(2, 2), channels);
			return x.add(x.sub(blurred).mul(amount));
		};
	}

	private static int maxChannelDifference(ImagePlus a, ImagePlus b) {
		int[] pa = (int[]) a.getProcessor().getPixels(), pb = (int[]) b.getProcessor().getPixels();
		int worst = 0;
		for (int i = 0; i < pa.length; i++)
			for (int shift = 0; shift < 24; shift += 8)
				worst = Math.max(worst, Math.abs(((pa[i] >> shift) & 0xff) - ((pb[i] >> shift) & 0xff)));
		return worst;
	}
}
