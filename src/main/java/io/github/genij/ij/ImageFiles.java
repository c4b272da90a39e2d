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
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.TiffDecoder;
import io.github.genij.core.GenIJException;

/** Reading images from paths and writing results atomically, never over a file the user did not offer. */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * Opens an image file (TIFF, PNG, JPEG, GIF, BMP and what else ImageJ 1.x reads). ImageJ's readers are
	 * lenient (a TIFF cut short reads as zeros where its data is missing): a file that holds less than its
	 * header describes is refused.
	 */
	public static ImagePlus open(Path path) {
		if (!Files.isRegularFile(path)) throw new GenIJException("No such image file: " + path);
		requireComplete(path);
		ImagePlus imp;
		try {
			imp = IJ.openImage(path.toString());
		}
		catch (RuntimeException e) { // damaged files: ImageJ's readers throw as often as they return null
			imp = null;
		}
		if (imp == null) throw new GenIJException("Cannot read " + path + " as an image (is it a TIFF, PNG or JPEG?).");
		return imp;
	}

	/** Refuses an uncompressed TIFF whose pixel data ends before its header says it does. */
	static void requireComplete(Path path) {
		String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (!name.endsWith(".tif") && !name.endsWith(".tiff")) return;
		FileInfo[] info;
		long length;
		try {
			Path abs = path.toAbsolutePath();
			info = new TiffDecoder(abs.getParent().toString() + java.io.File.separator, abs.getFileName().toString()).getTiffInfo();
			length = Files.size(path);
		}
		catch (IOException | RuntimeException e) {
			return; // not a TIFF ImageJ can describe: opening it says what is wrong
		}
		if (info == null) return;
		for (FileInfo fi : info) {
			if (fi.compression != FileInfo.COMPRESSION_NONE) continue; // compressed data has no size to predict
			long end = fi.getOffset() + (long) fi.width * fi.height * fi.getBytesPerPixel() * Math.max(1, fi.nImages) +
				(long) Math.max(0, fi.nImages - 1) * fi.getGap();
			if (fi.stripOffsets != null && fi.stripLengths != null) {
				for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++)
					end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + fi.stripLengths[i]);
			}
			if (end > length) {
				throw new GenIJException(path.getFileName() + " is cut short: it holds " + length + " bytes, but its TIFF header " +
					"describes " + end + ". The file is damaged or still being copied.");
			}
		}
	}

	/** Checks before any work is done that {@code path} can take a result of this kind. */
	public static void checkWritable(Path path, boolean overwrite) {
		format(path);
		Path dir = path.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir)) throw new GenIJException("The folder for " + path + " does not exist.");
		// checked before any work: a read-only folder would otherwise be noticed after the whole computation
		if (!Files.isWritable(dir)) throw new GenIJException("The folder " + dir + " is read-only: choose another place for " + path.getFileName() + ".");
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

	/** Whether two paths name one file or folder (links, "..", a trailing "/." included). */
	public static boolean sameFile(Path a, Path b) {
		try {
			if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
		}
		catch (IOException e) {
			// compare the names instead
		}
		return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
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
