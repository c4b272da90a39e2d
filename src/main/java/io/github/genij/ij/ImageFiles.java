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
		String[] said = new String[1];
		ImagePlus imp = quietly(() -> IJ.openImage(path.toString()), said);
		if (imp == null) {
			String why = said[0].isEmpty() || said[0].contains("Unsupported format") ? ""
				: " (" + said[0].replace("javax.imageio.IIOException: ", "") + ")";
			throw new GenIJException("Cannot read " + path + " as an image" + why + ": is it a TIFF, PNG or JPEG?");
		}
		return imp;
	}

	/**
	 * Runs one of ImageJ's readers or writers with its own messages held back: headless, ImageJ prints them to
	 * standard output ("Unsupported format or file not found:", an IIOException's text), where they mix
	 * with a CLI's results; in Fiji they would be one error dialog per file of a batch. {@code said[0]}
	 * receives what ImageJ said, on one line, so the caller can put it into its own message.
	 */
	private static synchronized <T> T quietly(java.util.function.Supplier<T> reader, String[] said) {
		java.io.PrintStream stdout = System.out;
		java.io.ByteArrayOutputStream caught = new java.io.ByteArrayOutputStream();
		boolean headless = java.awt.GraphicsEnvironment.isHeadless();
		T imp;
		try {
			IJ.redirectErrorMessages(); // an error goes to the log (standard output headless), not a dialog
			if (headless) System.setOut(new java.io.PrintStream(caught, true, java.nio.charset.StandardCharsets.UTF_8));
			imp = reader.get();
		}
		catch (RuntimeException e) { // damaged files: ImageJ's readers throw as often as they return null
			imp = null;
			caught.writeBytes(String.valueOf(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		finally {
			if (headless) System.setOut(stdout);
			IJ.redirectErrorMessages(false);
		}
		said[0] = caught.toString(java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
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
	 * Refuses, before any work, a result the disk has no room for: {@code bytes} is what the caller expects
	 * to write there. (A full disk would otherwise be noticed only after the whole computation.)
	 */
	public static void checkSpace(Path path, long bytes) {
		Path dir = path.toAbsolutePath().getParent();
		long free;
		try {
			free = Files.getFileStore(dir).getUsableSpace();
		}
		catch (IOException | RuntimeException e) {
			return; // the space cannot be known here: saving will say what went wrong
		}
		long needed = bytes + (1 << 20);
		if (free < needed) {
			throw new GenIJException("The disk of " + dir + " has " + megabytes(free) + " free, and " + path.getFileName() +
				" needs about " + megabytes(needed) + ": free some space or choose another place.");
		}
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
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
			String[] said = new String[1];
			Boolean ok = quietly(() -> {
				switch (format) {
					case "tiff":
						return imp.getStackSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
					case "png":
						return saver.saveAsPng(tmp.toString());
					default:
						return saver.saveAsJpeg(tmp.toString());
				}
			}, said);
			if (ok == null || !ok || !Files.isRegularFile(tmp)) {
				throw new GenIJException("Could not write " + path + (said[0].isEmpty() ? "." : ": " + said[0]));
			}
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
