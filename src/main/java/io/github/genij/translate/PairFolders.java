package io.github.genij.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.ImagePlusImgs;
import io.github.genij.ij.NamedFiles;
import io.github.genij.ij.StackRunner;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Reads training pairs from disk the two ways the reference takes them: two folders whose files pair up
 * by name (A/cell1.tif with B/cell1.png), or one folder of side-by-side images, A left and B right (what
 * the reference's combine_A_and_B.py makes). Values are mapped to [-1, 1] exactly as Translate maps the
 * images it is later given, so a trained model sees the same numbers at both times. Files that cannot
 * be used are named in the log and left out; the rest still train.
 */
final class PairFolders {

	private PairFolders() {}

	/** Pairs from {@code folderA} and {@code folderB}, matched by file name without extension, in name order. */
	static List<TrainingPair> twoFolders(Path folderA, Path folderB, Progress progress) {
		Map<String, Path> a = images(folderA, "folder_a"), b = images(folderB, "folder_b");
		List<TrainingPair> pairs = new ArrayList<>();
		for (Map.Entry<String, Path> e : a.entrySet()) {
			Path partner = b.get(e.getKey());
			if (partner == null) {
				progress.log("Skipped " + e.getValue().getFileName() + ": no file named " + e.getKey() + ".* in " + folderB + ".");
				continue;
			}
			ImagePlus ia = open(e.getValue(), progress), ib = ia == null ? null : open(partner, progress);
			if (ia == null || ib == null) continue;
			if (ia.getWidth() != ib.getWidth() || ia.getHeight() != ib.getHeight()) {
				progress.log("Skipped " + e.getKey() + ": A is " + ia.getWidth() + "x" + ia.getHeight() + " but B is " + ib.getWidth() + "x" +
					ib.getHeight() + "; a pair must be the same size.");
				continue;
			}
			pairs.add(new TrainingPair(e.getKey(), ia.getWidth(), ia.getHeight(), ImagePlusImgs.channelCount(ia), planes(ia, 0,
				ia.getWidth()), ImagePlusImgs.channelCount(ib), planes(ib, 0, ib.getWidth())));
		}
		for (String name : b.keySet())
			if (!a.containsKey(name)) progress.log("Skipped " + b.get(name).getFileName() + ": no partner in " + folderA + ".");
		return pairs;
	}

	/**
	 * Unpaired images (CycleGAN's folders), each as a "pair" of itself, so the jitter crops and mirrors it as it does
	 * pix2pix's pairs; in name order.
	 */
	static List<TrainingPair> singles(Path folder, String key, Progress progress) {
		List<TrainingPair> out = new ArrayList<>();
		for (Map.Entry<String, Path> e : images(folder, key).entrySet()) {
			ImagePlus imp = open(e.getValue(), progress);
			if (imp == null) continue;
			int c = ImagePlusImgs.channelCount(imp);
			float[] v = planes(imp, 0, imp.getWidth());
			out.add(new TrainingPair(e.getKey(), imp.getWidth(), imp.getHeight(), c, v, c, v));
		}
		return out;
	}

	/** Pairs from side-by-side images: the left half is A, the right half B. */
	static List<TrainingPair> sideBySide(Path folder, Progress progress) {
		List<TrainingPair> pairs = new ArrayList<>();
		for (Map.Entry<String, Path> e : images(folder, "folder_ab").entrySet()) {
			ImagePlus imp = open(e.getValue(), progress);
			if (imp == null) continue;
			if (imp.getWidth() % 2 != 0) {
				progress.log("Skipped " + e.getValue().getFileName() + ": its width " + imp.getWidth() + " is odd, so it is not two " +
					"images side by side.");
				continue;
			}
			int half = imp.getWidth() / 2, c = ImagePlusImgs.channelCount(imp);
			pairs.add(new TrainingPair(e.getKey(), half, imp.getHeight(), c, planes(imp, 0, half), c, planes(imp, half, half)));
		}
		return pairs;
	}

	private static Map<String, Path> images(Path folder, String key) {
		return NamedFiles.of(folder, key);
	}

	private static ImagePlus open(Path file, Progress progress) {
		ImagePlus imp;
		try {
			imp = ImageFiles.open(file); // damaged and cut-short files are refused with their reason
			FinitePixels.require(imp);
		}
		catch (GenIJException e) { // unusable files are left out, named in the log; training goes on
			progress.log("Skipped " + file.getFileName() + ": " + e.getMessage());
			return null;
		}
		if (imp.getStackSize() > 1 && !imp.isComposite() && ImagePlusImgs.channelCount(imp) == 1)
			progress.log(file.getFileName() + " has " + imp.getStackSize() + " slices; only the first is used.");
		return imp;
	}

	/** Columns {@code x0 .. x0+width} of the first slice and frame as planar values in [-1, 1]. */
	static float[] planes(ImagePlus imp, int x0, int width) {
		RandomAccessibleInterval<? extends RealType<?>> img = ImagePlusImgs.asChannels(imp, 1, 1);
		int h = imp.getHeight(), channels = (int) img.dimension(2);
		ValueRange range = StackRunner.valueRange(imp);
		double scale = 2 / (range.high - range.low);
		float[] out = new float[channels * width * h];
		Cursor<? extends RealType<?>> c = Views.flatIterable(Views.interval(img, new long[] { x0, 0, 0 },
			new long[] { x0 + width - 1, h - 1, channels - 1 })).localizingCursor();
		while (c.hasNext()) {
			double v = c.next().getRealDouble();
			int x = c.getIntPosition(0) - x0, y = c.getIntPosition(1), ch = c.getIntPosition(2);
			out[(ch * h + y) * width + x] = (float) ((v - range.low) * scale - 1);
		}
		return out;
	}
}
