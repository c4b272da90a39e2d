package io.github.genij.stylegan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.DemoData;

/**
 * ProGAN with GenIJ's own model (models/fashion-mnist-progan, grown by Train ProGAN on Fashion-MNIST from 4x4 to
 * 32x32): the same seeds sampled at each grown resolution through StyleGAN Sample's {@code resolution} key, one row per
 * scale (the smaller ones enlarged), then a scale mid-fade; and how far its 32x32 samples lie from the nearest
 * training item, as for the StyleGAN2 model.
 */
public final class ProGanDemo implements DemoStep {

	static final String MODEL = "fashion-mnist-progan";
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");
	private static final String SEEDS = "0-7";

	@Override
	public int order() {
		return 36;
	}

	@Override
	public String title() {
		return "ProGAN (GenIJ's own model): the same Fashion-MNIST seeds at each grown resolution";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = DemoData.projectModel(MODEL);
		if (!Files.isRegularFile(model.resolve("model.json"))) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		List<ImagePlus> sheet = new ArrayList<>();
		ImageStack rows = new ImageStack(8 * 32, 32);
		ImagePlus grown = null;
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			long t = System.nanoTime();
			for (int side = 4; side <= 32; side *= 2) {
				ImagePlus samples = StyleGanDemo.result(commands.run(StyleGanSampleCommand.class, true, "model", model.toString(), "seeds", SEEDS,
					"resolution", side).get(), "result", side + " px");
				rows.addSlice(side + "x" + side, row(samples.getStack(), 32));
				if (side == 32) grown = samples;
			}
			// 16x16 fading into 32x32: the newest scale's share 0.5
			ImagePlus mid = StyleGanDemo.result(commands.run(StyleGanSampleCommand.class, true, "model", model.toString(), "seeds", SEEDS,
				"resolution", 32, "alpha", 0.5).get(), "result", "mid-fade");
			rows.addSlice("32x32, alpha 0.5", row(mid.getStack(), 32));
			ImagePlus figure = StyleGanDemo.montage(rows, 1, "ProGAN seeds 0-7 at 4, 8, 16 and 32 px (enlarged), then 32 px half faded in");
			StyleGanDemo.save(figure, folder.resolve("progan-growth.png"), sheet);
			out.printf(Locale.ROOT, "  seeds 0-7 at 4x4, 8x8, 16x16, 32x32 and 32x32 at alpha 0.5: %.1f s -> %s%n", (System.nanoTime() - t) / 1e9,
				folder.resolve("progan-growth.png"));
		}
		if (!QUICK) StyleGanDemo.nearestTrainingItems(grown.getStack(), cache, out);
		return sheet;
	}

	/** The slices side by side, each enlarged (nearest) to {@code side} px. */
	private static ImageProcessor row(ImageStack s, int side) {
		ImageProcessor canvas = s.getProcessor(1).createProcessor(s.getSize() * side, side);
		for (int i = 0; i < s.getSize(); i++) {
			ImageProcessor ip = s.getProcessor(i + 1);
			ip.setInterpolationMethod(ImageProcessor.NONE);
			canvas.insert(ip.resize(side, side), i * side, 0);
		}
		return canvas;
	}
}
