package io.github.genij.style;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;

/**
 * Fast style transfer with GenIJ's own network (models/skimage-ihc-fast-style, trained by Train Fast Style on crops of
 * scikit-image photos in the style of its immunohistochemistry image, built-in features): the cat of the Gatys step,
 * one forward pass instead of an optimisation, measured the same way; then scikit-image's retina photo, which the
 * training never saw.
 */
public final class FastStyleDemo implements DemoStep {

	static final String MODEL = "skimage-ihc-fast-style";
	private static final boolean QUICK = Boolean.getBoolean("genij.demo.quick");

	@Override
	public int order() {
		return 11;
	}

	@Override
	public String title() {
		return "Style transfer (fast), GenIJ's own network in the immunohistochemistry style";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path model = DemoData.projectModel(MODEL);
		if (!Files.isRegularFile(model.resolve("model.json"))) {
			out.println("  " + model + " is missing: skipped");
			return List.of();
		}
		Path data = QUICK ? null : DemoData.skimage(cache, out);
		if (data == null) {
			out.println("  scikit-image's images are not available here: skipped");
			return List.of();
		}
		ImagePlus style = IJ.openImage(data.resolve("ihc.png").toString());
		style.setRoi(200, 100, 256, 256);
		style = style.crop();
		List<ImagePlus> sheet = new ArrayList<>();
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			String[][] inputs = { { "chelsea.png", "fast-style.png", "the Gatys step's cat (a training photo)" },
				{ "retina.jpg", "fast-style-retina.png", "scikit-image's retina photo (never trained on)" } };
			for (String[] in : inputs) {
				ImagePlus content = IJ.openImage(data.resolve(in[0]).toString());
				content = content.resize(256, content.getHeight() * 256 / content.getWidth(), "bilinear");
				long t = System.nanoTime();
				CommandModule m = commands.run(StyleTransferFastCommand.class, true, "input", content, "model", model.toString()).get();
				if (m.isCanceled()) throw new GenIJException("Fast style demo: " + m.getCancelReason());
				ImagePlus result = (ImagePlus) m.getOutput("result");
				double seconds = (System.nanoTime() - t) / 1e9;
				Path file = folder.resolve(in[1]);
				ImageFiles.save(result, file, true);
				out.printf(Locale.ROOT, "  %s, %dx%d: %.1f s -> %s%n", in[2], content.getWidth(), content.getHeight(), seconds, file);
				out.printf(Locale.ROOT, "  how far it went (7x7 patch statistics at two scales): %.2f of the content's distance from the style left " +
					"(0: all the way)%n", PatchStatistics.remaining(GatysDemo.stats(result), GatysDemo.stats(content), GatysDemo.stats(style)));
				result.setTitle("Fast style: " + in[0]);
				sheet.add(result);
			}
		}
		return sheet;
	}
}
