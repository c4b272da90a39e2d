package io.github.genij.seg2photo;

import java.util.Map;

import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import io.github.genij.core.GenIJException;

/**
 * A label map painted from an image's overlay: each area ROI filled with the class its name gives (a
 * number, or a name the label map lists), in overlay order so later ROIs cover earlier ones; 0 where no
 * ROI is. ROIs tied to another slice of a stack are left out of this one.
 */
final class OverlayLabels {

	private OverlayLabels() {}

	static int[] paint(Overlay overlay, int w, int h, int slice, Map<String, Integer> names) {
		int[] labels = new int[w * h];
		for (Roi roi : overlay.toArray()) {
			if (!roi.isArea()) continue;
			int at = roi.getPosition() != 0 ? roi.getPosition() : roi.getZPosition();
			if (at != 0 && at != slice) continue;
			int value = classOf(roi, names);
			ByteProcessor mask = new ByteProcessor(w, h);
			mask.setColor(255);
			mask.fill(roi);
			byte[] m = (byte[]) mask.getPixels();
			for (int i = 0; i < m.length; i++) if (m[i] != 0) labels[i] = value;
		}
		return labels;
	}

	private static int classOf(Roi roi, Map<String, Integer> names) {
		String name = roi.getName() == null ? "" : roi.getName().trim();
		if (names.containsKey(name)) return names.get(name);
		if (names.containsKey(ClassNames.key(name))) return names.get(ClassNames.key(name)); // a class name of the model's card
		try {
			return Integer.parseInt(name);
		}
		catch (NumberFormatException e) {
			throw new GenIJException("The overlay ROI '" + name + "' names no class: name it by the class number, or list it in " +
				"labelmap (e.g. labelmap=" + (name.isEmpty() ? "sky" : name) + "=3).");
		}
	}
}
