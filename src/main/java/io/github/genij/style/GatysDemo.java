package io.github.genij.style;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.SyntheticImages;

/**
 * Gatys style transfer with the built-in random-filter features on a photo and a stained tissue section
 * from scikit-image's samples (or generated stand-ins), through the very command Fiji runs.
 */
public final class GatysDemo implements DemoStep {

	/** Set -Dgenij.demo.quick=true for a fast smoke run (tests). */
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");


	@Override
	public int order() {
		return 10;
	}

	@Override
	public String title() {
		return "Style transfer (Gatys), built-in random features";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		// the quick smoke run (tests) never fetches: it uses the generated stand-ins
		Path data = QUICK ? null : DemoData.skimage(cache, out);
		ImagePlus content, style;
		if (data != null) {
			content = IJ.openImage(data.resolve("chelsea.png").toString());
			style = IJ.openImage(data.resolve("ihc.png").toString());
			style.setRoi(200, 100, 256, 256);
			style = style.crop();
			out.println("  content: scikit-image chelsea.png; style: a crop of ihc.png (immunohistochemistry stain)");
		}
		else {
			content = SyntheticImages.cells(300, 200, 7);
			style = stripes(128);
			out.println("  scikit-image's images are not available here: using generated stand-ins");
		}
		int width = QUICK ? 96 : 256;
		content = content.resize(width, content.getHeight() * width / content.getWidth(), "bilinear");
		content.setTitle("content");
		style.setTitle("style");
		int iterations = QUICK ? 10 : 120;
		List<ImagePlus> sheet = new ArrayList<>();
		sheet.add(content);
		sheet.add(style);
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			for (boolean keepColours : new boolean[] { false, true }) {
				long t = System.nanoTime();
				// every key at its default but the iteration count (the demo's time)
				CommandModule m = commands.run(StyleTransferGatysCommand.class, true, "content", content, "style", style,
					"iterations", iterations, "preservecolor", keepColours).get();
				if (m.isCanceled()) throw new GenIJException("Gatys demo: " + m.getCancelReason());
				ImagePlus result = (ImagePlus) m.getOutput("result");
				Path file = folder.resolve(keepColours ? "gatys-preserved-colours.png" : "gatys.png");
				ImageFiles.save(result, file, true);
				out.printf("  %dx%d, %d evaluations%s: %.1f s -> %s%n", content.getWidth(), content.getHeight(), iterations,
					keepColours ? ", colours preserved" : "", (System.nanoTime() - t) / 1e9, file);
				if (!keepColours) {
					out.printf(java.util.Locale.ROOT, "  how far it went (7x7 patch statistics at two scales): %.2f of the content's distance from the " +
						"style left (0: all the way)%n", PatchStatistics.remaining(stats(result), stats(content), stats(style)));
				}
				result.setTitle(keepColours ? "Gatys, colours kept" : "Gatys");
				sheet.add(result);
			}
		}
		ImageFiles.save(content, folder.resolve("gatys-content.png"), true);
		ImageFiles.save(style, folder.resolve("gatys-style.png"), true);
		return sheet;
	}

	/** The patch statistics of an image as displayed (RGB). */
	static PatchStatistics stats(ImagePlus imp) {
		ColorProcessor cp = imp.getProcessor().convertToColorProcessor();
		return PatchStatistics.ofRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
	}

	private static ImagePlus stripes(int side) {
		ColorProcessor cp = new ColorProcessor(side, side);
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++) {
				double v = 0.5 + 0.5 * Math.sin((x + 2 * y) / 5.0) * Math.cos((x - y) / 9.0);
				int r = (int) (60 + 150 * v), g = (int) (30 + 60 * v), b = (int) (140 + 100 * (1 - v));
				cp.set(x, y, (r << 16) | (g << 8) | b);
			}
		return new ImagePlus("stripes", cp);
	}
}
