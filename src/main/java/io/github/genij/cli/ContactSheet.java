package io.github.genij.cli;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** Lays images out in rows of thumbnails, each captioned with its title. */
final class ContactSheet {

	private static final int COLUMNS = 3, GAP = 8, CAPTION = 22;

	private ContactSheet() {}

	static ImagePlus of(List<ImagePlus> images, int thumbWidth) {
		int rows = Math.max(1, (images.size() + COLUMNS - 1) / COLUMNS);
		int cols = Math.max(1, Math.min(COLUMNS, images.size()));
		int thumbHeight = 0;
		for (ImagePlus imp : images)
			thumbHeight = Math.max(thumbHeight, (int) Math.round((double) imp.getHeight() * thumbWidth / imp.getWidth()));
		int cellH = thumbHeight + CAPTION + GAP;
		ColorProcessor sheet = new ColorProcessor(cols * (thumbWidth + GAP) + GAP, rows * cellH + GAP);
		sheet.setColor(Color.WHITE);
		sheet.fill();
		for (int i = 0; i < images.size(); i++) {
			ImagePlus imp = images.get(i);
			int x = GAP + (i % COLUMNS) * (thumbWidth + GAP), y = GAP + (i / COLUMNS) * cellH;
			ImageProcessor ip = imp.getProcessor().convertToRGB();
			ip.setInterpolationMethod(ImageProcessor.BILINEAR);
			int h = (int) Math.round((double) imp.getHeight() * thumbWidth / imp.getWidth());
			sheet.insert(ip.resize(thumbWidth, h, true), x, y);
			caption(sheet, imp.getTitle(), x, y + h + CAPTION - 6);
		}
		return new ImagePlus("GenIJ demo", sheet);
	}

	private static void caption(ColorProcessor sheet, String text, int x, int y) {
		try {
			sheet.setColor(Color.BLACK);
			sheet.setFont(new Font("SansSerif", Font.PLAIN, 14));
			sheet.setAntialiasedText(true);
			sheet.drawString(text, x, y);
		}
		catch (Throwable noFonts) {
			// A machine without fonts still gets its sheet, just without captions.
		}
	}
}
