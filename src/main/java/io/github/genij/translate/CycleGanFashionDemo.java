package io.github.genij.translate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.DemoStep;
import io.github.genij.ij.demo.Figures;

/**
 * CycleGAN with GenIJ's own models (models/fashion-sneaker-boot-cyclegan and its _BtoA, trained by Train CycleGAN on
 * unpaired Fashion-MNIST sneakers and ankle boots): 16 test items of each, never seen in training, through Translate
 * one way and back. Printed beside the images: how tall the shoes are (rows holding the item), which is what tells a
 * boot from a sneaker here, and how close the round trip comes back.
 */
public final class CycleGanFashionDemo implements DemoStep {

	static final String MODEL = "fashion-sneaker-boot-cyclegan";
	static final int SNEAKER = 7, ANKLE_BOOT = 9, ITEMS = 16;
	/** A row holds the item when a pixel in it is brighter than this. */
	static final int INK = 40;

	@Override
	public int order() {
		return 22;
	}

	@Override
	public String title() {
		return "CycleGAN (GenIJ's own models): Fashion-MNIST sneakers to ankle boots and back, unpaired";
	}

	@Override
	public List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception {
		Path ab = DemoData.projectModel(MODEL), ba = DemoData.projectModel(MODEL + "_BtoA");
		if (!Files.isRegularFile(ab.resolve("weights.safetensors")) || !Files.isRegularFile(ba.resolve("weights.safetensors"))) {
			out.println("  " + ab + " or its _BtoA is missing: skipped");
			return List.of();
		}
		Path data = DemoData.fashionMnist(cache, out);
		if (data == null) {
			out.println("  Fashion-MNIST is not available here: skipped");
			return List.of();
		}
		byte[][] items = DemoData.fashionMnistItems(data, "t10k");
		byte[] classes = DemoData.fashionMnistLabels(data, "t10k");
		ImagePlus sneakers = stack(items, classes, SNEAKER, "sneakers"), boots = stack(items, classes, ANKLE_BOOT, "ankle boots");
		out.println("  input: the first " + ITEMS + " sneakers and " + ITEMS + " ankle boots of Fashion-MNIST's test items (never seen in training)");
		List<ImagePlus> sheet = new ArrayList<>();
		try (Context context = new Context()) {
			long t = System.nanoTime();
			ImagePlus toBoots = translate(context, sneakers, ab), toSneakers = translate(context, boots, ba);
			ImagePlus sneakersBack = translate(context, toBoots, ba), bootsBack = translate(context, toSneakers, ab);
			out.printf(Locale.ROOT, "  4 x %d items through Translate: %.1f s%n", ITEMS, (System.nanoTime() - t) / 1e9);
			out.printf(Locale.ROOT, "  height of the items (rows holding them, of 32): sneakers %.1f -> as boots %.1f; ankle boots %.1f -> as sneakers %.1f%n",
				height(sneakers), height(toBoots), height(boots), height(toSneakers));
			out.printf(Locale.ROOT, "  round trip (there and back) against the input: %.1f grey levels (sneakers), %.1f (boots)%n", Figures.meanError(sneakersBack, sneakers),
				Figures.meanError(bootsBack, boots));
			ImagePlus figure = montage(sneakers, toBoots, boots, toSneakers);
			ImageFiles.save(figure, folder.resolve("cyclegan-fashion-figure.png"), true);
			out.println("  rows: sneakers, as ankle boots, ankle boots, as sneakers -> cyclegan-fashion-figure.png");
			sheet.add(figure);
		}
		return sheet;
	}

	/** The first {@link #ITEMS} test items of a class as a stack of 32 x 32 slices. */
	private static ImagePlus stack(byte[][] items, byte[] classes, int fashionClass, String title) {
		ImageStack s = new ImageStack(DemoData.FASHION_PADDED_SIDE, DemoData.FASHION_PADDED_SIDE);
		for (int i = 0; i < items.length && s.getSize() < ITEMS; i++) if (classes[i] == fashionClass) s.addSlice("item " + i, DemoData.fashionPadded(items[i]));
		return new ImagePlus(title, s);
	}

	private static ImagePlus translate(Context context, ImagePlus input, Path model) throws Exception {
		CommandModule m = context.service(CommandService.class).run(TranslateCommand.class, true, "input", input, "model", model.toString()).get();
		if (m.isCanceled()) throw new GenIJException("CycleGAN demo: " + m.getCancelReason());
		return (ImagePlus) m.getOutput("result");
	}

	/** The mean count of rows holding the item (a pixel above {@link #INK}), over the slices. */
	static double height(ImagePlus imp) {
		double sum = 0;
		for (int k = 1; k <= imp.getStackSize(); k++) {
			ImageProcessor ip = imp.getStack().getProcessor(k);
			for (int y = 0; y < ip.getHeight(); y++) {
				boolean ink = false;
				for (int x = 0; x < ip.getWidth() && !ink; x++) ink = ip.get(x, y) > INK;
				if (ink) sum++;
			}
		}
		return sum / imp.getStackSize();
	}

	/** Each stack as a row of its slices, rows 4 px apart on grey. */
	private static ImagePlus montage(ImagePlus... rows) {
		int side = DemoData.FASHION_PADDED_SIDE, w = ITEMS * side;
		ByteProcessor out = new ByteProcessor(w, rows.length * side + (rows.length - 1) * 4);
		out.setColor(128);
		out.fill();
		for (int r = 0; r < rows.length; r++)
			for (int k = 1; k <= rows[r].getStackSize(); k++)
				out.insert(rows[r].getStack().getProcessor(k).convertToByteProcessor(false), (k - 1) * side, r * (side + 4));
		return new ImagePlus("sneakers, as boots, boots, as sneakers", out);
	}
}
