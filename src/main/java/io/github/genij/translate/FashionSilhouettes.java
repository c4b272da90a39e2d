package io.github.genij.translate;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;

/**
 * The task GenIJ's own pix2pix model learns: Fashion-MNIST items from their silhouettes. Each image is a
 * sheet of 4x4 items in 32x32 cells (128x128 px); A holds the silhouettes (the item's pixels above a
 * faint threshold, holes filled), B the items themselves. Training sheets come from the training set,
 * test sheets from the test set, so a model is judged on items it never saw.
 */
public final class FashionSilhouettes {

	static final int CELL = 32, GRID = 4, SHEET = CELL * GRID, ITEM = 28;

	private final byte[][] items;

	private FashionSilhouettes(byte[][] items) {
		this.items = items;
	}

	/** Reads {@code <name>-images-idx3-ubyte.gz} (train or t10k) from Fashion-MNIST's folder. */
	static FashionSilhouettes read(Path dataFolder, String name) {
		return new FashionSilhouettes(io.github.genij.ij.demo.DemoData.fashionMnistItems(dataFolder, name));
	}

	int items() {
		return items.length;
	}

	/** Writes sheets {@code 0..count-1} (items {@code 16k..16k+15}) as {@code A/sheetNNNN.png} and {@code B/sheetNNNN.png}. */
	void writeSheets(Path folder, int count) {
		if ((long) count * GRID * GRID > items.length) throw new GenIJException("Only " + items.length / (GRID * GRID) + " sheets can be made.");
		try {
			Files.createDirectories(folder.resolve("A"));
			Files.createDirectories(folder.resolve("B"));
			for (int k = 0; k < count; k++) {
				BufferedImage[] ab = sheet(k * GRID * GRID);
				String file = String.format("sheet%04d.png", k);
				ImageIO.write(ab[0], "png", folder.resolve("A").resolve(file).toFile());
				ImageIO.write(ab[1], "png", folder.resolve("B").resolve(file).toFile());
			}
		}
		catch (IOException e) {
			throw new GenIJException("Cannot write sheets into " + folder + ": " + e.getMessage(), e);
		}
	}

	/** {silhouettes, items} of the 16 items from {@code first}. */
	BufferedImage[] sheet(int first) {
		BufferedImage a = new BufferedImage(SHEET, SHEET, BufferedImage.TYPE_BYTE_GRAY);
		BufferedImage b = new BufferedImage(SHEET, SHEET, BufferedImage.TYPE_BYTE_GRAY);
		WritableRaster ra = a.getRaster(), rb = b.getRaster();
		int margin = (CELL - ITEM) / 2;
		for (int k = 0; k < GRID * GRID; k++) {
			byte[] item = items[first + k];
			boolean[] inside = silhouette(item);
			int ox = (k % GRID) * CELL + margin, oy = (k / GRID) * CELL + margin;
			for (int y = 0; y < ITEM; y++) {
				for (int x = 0; x < ITEM; x++) {
					ra.setSample(ox + x, oy + y, 0, inside[y * ITEM + x] ? 255 : 0);
					rb.setSample(ox + x, oy + y, 0, item[y * ITEM + x] & 0xff);
				}
			}
		}
		return new BufferedImage[] { a, b };
	}

	static boolean[] silhouette(byte[] item) {
		return DemoData.fashionSilhouette(item);
	}
}
