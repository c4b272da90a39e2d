package io.github.genij.seg2photo;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.plugin.frame.RoiManager;
import io.github.genij.core.GenIJException;

/**
 * The ROIs a label map is painted from when they are not the image's overlay: a ROI set file as the ROI Manager
 * saves it ({@code RoiSet.zip}: one {@code .roi} per entry, in the Manager's order; or a single {@code .roi}), or the
 * open ROI Manager (not there in headless runs: they give the file).
 */
final class RoiSets {

	private RoiSets() {}

	/** The ROIs of {@code file}, or of the ROI Manager when it is null, as an overlay in their order. */
	static Overlay read(File file) {
		Overlay out = new Overlay();
		if (file == null) {
			RoiManager manager = RoiManager.getInstance();
			if (manager == null || manager.getCount() == 0) {
				throw new GenIJException("labelsfrom=rois: the ROI Manager is not open or holds no ROIs. Add the regions to it (named by " +
					"class), or give roiset=<RoiSet.zip> saved from it.");
			}
			for (Roi roi : manager.getRoisAsArray()) out.add(roi);
			return out;
		}
		if (!file.isFile()) throw new GenIJException("roiset=" + file + " is not a file: give a RoiSet.zip saved from the ROI Manager.");
		String name = file.getName().toLowerCase(java.util.Locale.ROOT);
		try {
			if (name.endsWith(".roi")) out.add(decode(Files.readAllBytes(file.toPath()), file.getName()));
			else {
				try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file.toPath()))) {
					for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
						if (e.isDirectory() || !e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".roi")) continue;
						out.add(decode(bytes(zip), e.getName()));
					}
				}
			}
		}
		catch (IOException e) {
			throw new GenIJException("roiset=" + file + " could not be read as a ROI set (.zip of .roi files, or a .roi): " + e.getMessage(), e);
		}
		if (out.size() == 0) throw new GenIJException("roiset=" + file + " holds no ROIs: give a RoiSet.zip saved from the ROI Manager.");
		return out;
	}

	private static Roi decode(byte[] data, String entry) {
		Roi roi = RoiDecoder.openFromByteArray(data);
		if (roi == null) throw new GenIJException("The ROI set entry " + entry + " is not an ImageJ ROI.");
		if (roi.getName() == null) { // the Manager names a ROI by its entry; ROIs saved without a name keep the file's
			String n = entry.substring(entry.lastIndexOf('/') + 1);
			roi.setName(n.substring(0, n.length() - 4));
		}
		return roi;
	}

	private static byte[] bytes(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		in.transferTo(out);
		return out.toByteArray();
	}
}
