package io.github.genij.ij;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.genij.core.GenIJException;

/** Reading images from paths and writing results atomically, never over a file the user did not offer. */
public final class ImageFiles {

	private ImageFiles() {}

	/** Opens an image file (TIFF, PNG, JPEG, GIF, BMP and what else ImageJ 1.x reads). */
	public static ImagePlus open(Path path) {
		if (!Files.isRegularFile(path)) throw new GenIJException("No such image file: " + path);
		ImagePlus imp = IJ.openImage(path.toString());
		if (imp == null) throw new GenIJException("Cannot read " + path + " as an image (is it a TIFF, PNG or JPEG?).");
		return imp;
	}

	/** Checks before any work is done that {@code path} can take a result of this kind. */
	public static void checkWritable(Path path, boolean overwrite) {
		format(path);
		Path dir = path.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir)) throw new GenIJException("The folder for " + path + " does not exist.");
		if (Files.exists(path) && !overwrite) {
			throw new GenIJException(path + " already exists; GenIJ does not overwrite files. Choose another name, " +
				"or pass --overwrite.");
		}
	}

	/**
	 * Writes {@code imp} to {@code path}: first to a temporary file beside it, then renamed into place, so
	 * that a failure never leaves a half-written file under the user's name. TIFF keeps 16- and 32-bit
	 * values and stacks; PNG and JPEG take one 8-bit or RGB plane.
	 */
	public static void save(ImagePlus imp, Path path, boolean overwrite) {
		checkWritable(path, overwrite);
		String format = format(path);
		if (!format.equals("tiff") && imp.getStackSize() > 1) {
			throw new GenIJException(imp.getTitle() + " has " + imp.getStackSize() + " planes; save it as .tif to keep them all.");
		}
		Path abs = path.toAbsolutePath();
		Path tmp = abs.resolveSibling("." + abs.getFileName() + ".part-" + ProcessHandle.current().pid());
		try {
			FileSaver saver = new FileSaver(imp);
			boolean ok;
			switch (format) {
				case "tiff":
					ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
					break;
				case "png":
					ok = saver.saveAsPng(tmp.toString());
					break;
				default:
					ok = saver.saveAsJpeg(tmp.toString());
			}
			if (!ok || !Files.isRegularFile(tmp)) throw new GenIJException("Could not write " + path + ".");
			move(tmp, abs, overwrite);
		}
		catch (IOException e) {
			throw new GenIJException("Could not write " + path + ": " + e.getMessage(), e);
		}
		finally {
			try {
				Files.deleteIfExists(tmp);
			}
			catch (IOException e) {
				// the temporary file is only clutter; the result or the error has already been reported
			}
		}
	}

	private static void move(Path from, Path to, boolean overwrite) throws IOException {
		try {
			if (overwrite) Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			else Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException e) {
			if (overwrite) Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
			else Files.move(from, to);
		}
	}

	private static String format(Path path) {
		String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".tif") || name.endsWith(".tiff")) return "tiff";
		if (name.endsWith(".png")) return "png";
		if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "jpeg";
		throw new GenIJException("Cannot write " + path + ": use .tif (keeps 16- and 32-bit values and stacks), .png or .jpg.");
	}
}
