package io.github.genij.style;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.TrainingData;

/**
 * {@code genij data skimage-photos [folder]}: what GenIJ's own fast-style network trained on, from Debian's
 * python3-skimage: {@code tiles/} holds 128-px tiles (every 64 px, rows then columns) of six sample photos at half
 * size (every other pixel) (astronaut, chelsea, coffee, motorcycle_left, motorcycle_right, rocket: 41 tiles), and {@code ihc-crop.png} the
 * 256-px crop of the immunohistochemistry image at (200, 100) that the Gatys demo styles with.
 */
public final class SkimagePhotosData implements TrainingData {

	static final List<String> PHOTOS = List.of("astronaut.png", "chelsea.png", "coffee.png", "motorcycle_left.png", "motorcycle_right.png", "rocket.jpg");
	static final int TILE = 128, STRIDE = 64;

	@Override
	public String name() {
		return "skimage-photos";
	}

	@Override
	public String usage() {
		return "skimage-photos [folder]   (128-px tiles of six scikit-image photos at half size in tiles/, and the immunohistochemistry crop " +
			"ihc-crop.png: Train Fast Style's content and style for GenIJ's own network)";
	}

	@Override
	public void make(List<String> args, PrintStream out) {
		Path folder = !args.isEmpty() ? Paths.get(args.get(0)) : Paths.get("target", "data", "skimage-photos");
		Path data = DemoData.skimage(Paths.get("target", "demo-data"), out);
		if (data == null) throw new GenIJException("scikit-image's sample images could not be fetched (apt-get download python3-skimage).");
		Path tiles = folder.resolve("tiles");
		try {
			Files.createDirectories(tiles);
		}
		catch (IOException e) {
			throw new GenIJException("Cannot create " + tiles + ": " + e.getMessage(), e);
		}
		int n = 0;
		for (String photo : PHOTOS) {
			ImagePlus imp = IJ.openImage(data.resolve(photo).toString());
			if (imp == null) throw new GenIJException("Cannot open " + data.resolve(photo) + ".");
			ImageProcessor half = halved(imp.getProcessor().convertToRGB());
			for (int y = 0; y + TILE <= half.getHeight(); y += STRIDE)
				for (int x = 0; x + TILE <= half.getWidth(); x += STRIDE) {
					half.setRoi(x, y, TILE, TILE);
					save(new ImagePlus("tile", half.crop()), tiles.resolve(String.format(Locale.ROOT, "t%03d.png", n++)));
				}
		}
		ImagePlus ihc = IJ.openImage(data.resolve("ihc.png").toString());
		ihc.setRoi(200, 100, 256, 256);
		save(ihc.crop(), folder.resolve("ihc-crop.png"));
		out.println("Wrote " + n + " tiles into " + tiles + " and the style image " + folder.resolve("ihc-crop.png") + ".");
	}

	/** Half size by taking every other pixel (ImageJ's resize without interpolation), as the network's tiles were made. */
	static ImageProcessor halved(ImageProcessor ip) {
		ip.setInterpolationMethod(ImageProcessor.NONE);
		return ip.resize(ip.getWidth() / 2, ip.getHeight() / 2, false);
	}

	private static void save(ImagePlus imp, Path file) {
		if (!new FileSaver(imp).saveAsPng(file.toString())) throw new GenIJException("Cannot write " + file + ".");
	}
}
