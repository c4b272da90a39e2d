package io.github.genij.seg2photo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.ij.FinitePixels;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.NamedFiles;
import io.github.genij.ij.PhotoValues;

/**
 * Train SPADE's data: a folder of label images and a folder of photos whose files pair up by name without extension
 * ({@code labels/0001.png} with {@code images/0001.jpg}), as the reference's custom dataset pairs them. Labels are
 * 8- or 16-bit images whose values are classes; photos are read as the reference reads them (8-bit RGB, grey
 * repeated, -1..1). Files that cannot be used are named in the log and left out.
 */
final class LabelledPhotos {

	private LabelledPhotos() {}

	static List<SpadeTrainer.Example> read(Path labelFolder, Path imageFolder, Progress progress) {
		Map<String, Path> labels = NamedFiles.of(labelFolder, "labels"), images = NamedFiles.of(imageFolder, "images");
		List<SpadeTrainer.Example> out = new ArrayList<>();
		for (Map.Entry<String, Path> e : labels.entrySet()) {
			Path photo = images.get(e.getKey());
			if (photo == null) {
				progress.log("Skipped " + e.getValue().getFileName() + ": no image named " + e.getKey() + ".* in " + imageFolder + ".");
				continue;
			}
			ImagePlus label = open(e.getValue(), progress), image = label == null ? null : open(photo, progress);
			if (label == null || image == null) continue;
			if (label.getType() != ImagePlus.GRAY8 && label.getType() != ImagePlus.GRAY16) {
				progress.log("Skipped " + e.getValue().getFileName() + ": a label image must be 8- or 16-bit, its values the classes.");
				continue;
			}
			if (label.getWidth() != image.getWidth() || label.getHeight() != image.getHeight()) {
				progress.log("Skipped " + e.getKey() + ": the labels are " + label.getWidth() + "x" + label.getHeight() + " but the image is " +
					image.getWidth() + "x" + image.getHeight() + "; a pair must be the same size.");
				continue;
			}
			out.add(new SpadeTrainer.Example(e.getKey(), label.getWidth(), label.getHeight(), LabelImageCommand.ints(label.getProcessor()),
				PhotoValues.of(image, 3)));
		}
		for (String name : images.keySet())
			if (!labels.containsKey(name)) progress.log("Skipped " + images.get(name).getFileName() + ": no label image of that name.");
		return out;
	}

	private static ImagePlus open(Path file, Progress progress) {
		try {
			ImagePlus imp = ImageFiles.open(file);
			FinitePixels.require(imp);
			if (imp.getStackSize() > 1) progress.log(file.getFileName() + " has " + imp.getStackSize() + " slices; only the first is used.");
			return imp;
		}
		catch (GenIJException e) {
			progress.log("Skipped " + file.getFileName() + ": " + e.getMessage());
			return null;
		}
	}
}
