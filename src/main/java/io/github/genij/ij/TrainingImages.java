package io.github.genij.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import ij.process.ImageProcessor;

/**
 * A folder of training images as 8-bit levels: every image file, every slice of a stack (so a large set can be
 * one TIFF stack), all of one size and one type (8-bit grey or RGB). Files that are no image are logged and left
 * out; a size or type that differs is refused, naming the file.
 */
public final class TrainingImages {

	/** 8-bit levels {@code [C, H, W]}, channel after channel. */
	public final List<int[]> images = new ArrayList<>();
	public int width, height, channels;

	/** @param what the trainer, for messages ("PixelCNN") */
	public static TrainingImages read(Path folder, String key, String what, Progress progress) {
		if (!Files.isDirectory(folder)) throw new GenIJException(key + "=" + folder + " is not a folder.");
		List<Path> files;
		try (Stream<Path> s = Files.list(folder)) {
			files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().collect(
				java.util.stream.Collectors.toList());
		}
		catch (IOException e) {
			throw new GenIJException("Cannot list " + folder + ": " + e.getMessage(), e);
		}
		TrainingImages set = new TrainingImages();
		String first = null;
		for (Path f : files) {
			ImagePlus imp;
			try {
				imp = ImageFiles.open(f);
			}
			catch (GenIJException e) {
				progress.log("Left out " + f.getFileName() + ": " + e.getMessage());
				continue;
			}
			int ch = imp.getType() == ImagePlus.GRAY8 ? 1 : imp.getType() == ImagePlus.COLOR_RGB ? 3 : 0;
			if (ch == 0) {
				throw new GenIJException(f.getFileName() + " is " + imp.getBitDepth() + "-bit; " + what + " trains on 8-bit grey or RGB images. " +
					"Convert it (Image > Type) or move it out of " + folder + ".");
			}
			if (first == null) {
				first = f.getFileName().toString();
				set.width = imp.getWidth();
				set.height = imp.getHeight();
				set.channels = ch;
			}
			else if (imp.getWidth() != set.width || imp.getHeight() != set.height || ch != set.channels) {
				throw new GenIJException(f.getFileName() + " is " + imp.getWidth() + "x" + imp.getHeight() + (ch == 3 ? " RGB" : " grey") + "; " +
					first + " is " + set.width + "x" + set.height + (set.channels == 3 ? " RGB" : " grey") + ". Training images must share " +
					"size and type: crop or scale them (or split the folder).");
			}
			ImageStack stack = imp.getStack();
			for (int i = 1; i <= stack.getSize(); i++) set.images.add(levels(stack.getProcessor(i), ch));
		}
		if (set.images.isEmpty()) throw new GenIJException("No images in " + folder + " (8-bit grey or RGB, one size).");
		return set;
	}

	/** The 8-bit levels {@code [C, H, W]} of a grey (C 1, converted without scaling) or RGB slice. */
	public static int[] levels(ImageProcessor ip, int channels) {
		int n = ip.getWidth() * ip.getHeight();
		int[] out = new int[channels * n];
		if (channels == 1) {
			byte[] p = (byte[]) ip.convertToByteProcessor(false).getPixels();
			for (int i = 0; i < n; i++) out[i] = p[i] & 0xff;
			return out;
		}
		int[] p = (int[]) ip.getPixels();
		for (int i = 0; i < n; i++) {
			out[i] = (p[i] >> 16) & 0xff;
			out[n + i] = (p[i] >> 8) & 0xff;
			out[2 * n + i] = p[i] & 0xff;
		}
		return out;
	}
}
