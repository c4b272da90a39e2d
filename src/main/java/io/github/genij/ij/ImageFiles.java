package io.github.genij.ij;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
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
		removeStaleParts(abs);
		Path tmp = abs.resolveSibling(partName(abs, ProcessHandle.current().pid()));
		if (imp.getBitDepth() == 32) showFullRange(imp); // else Fiji opens a 32-bit result with a 0..1 display: white
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

	/**
	 * Puts the finished file under its name. Without {@code overwrite} it is published with a hard link,
	 * which fails if the name exists: a file that appeared there while GenIJ computed is never replaced (a
	 * rename would replace it silently).
	 */
	static void move(Path from, Path to, boolean overwrite) throws IOException {
		if (!overwrite) {
			try {
				Files.createLink(to, from);
				return;
			}
			catch (FileAlreadyExistsException e) {
				throw new GenIJException(to + " appeared while GenIJ was working and was left alone; the result was not " +
					"written. Choose another name, or pass --overwrite.");
			}
			catch (UnsupportedOperationException | IOException e) {
				// no hard links on this file system: a plain move, which refuses an existing target
				Files.move(from, to);
				return;
			}
		}
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException e) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	static String partName(Path target, long pid) {
		return "." + target.getFileName() + ".part-" + pid;
	}

	/** Temporary files of this naming left by GenIJ processes that died while saving (killed, crashed). */
	private static void removeStaleParts(Path target) {
		Path dir = target.getParent();
		String prefix = "." + target.getFileName() + ".part-";
		try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
			for (Path p : parts) {
				String pid = p.getFileName().toString().substring(prefix.length());
				if (!pid.matches("\\d{1,10}")) continue;
				if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) continue;
				Files.deleteIfExists(p);
			}
		}
		catch (IOException | RuntimeException e) {
			// only clutter: saving goes on
		}
	}

	/** Sets the display range of a 32-bit image to its values' range over all planes. */
	private static void showFullRange(ImagePlus imp) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int i = 1; i <= imp.getStackSize(); i++) {
			for (float v : (float[]) imp.getStack().getPixels(i)) {
				if (!Float.isFinite(v)) continue;
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
		}
		if (min < max) imp.setDisplayRange(min, max);
	}

	private static String format(Path path) {
		String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".tif") || name.endsWith(".tiff")) return "tiff";
		if (name.endsWith(".png")) return "png";
		if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "jpeg";
		throw new GenIJException("Cannot write " + path + ": use .tif (keeps 16- and 32-bit values and stacks), .png or .jpg.");
	}
}
