package io.github.genij.ij;

import java.io.File;

import ij.WindowManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;

/**
 * Helpers for GenIJ's batch macros, called with {@code call("io.github.genij.ij.MacroSupport.open", path)}.
 * ImageJ's own {@code open()} stops the whole macro on an unreadable file; a batch must log it and go on.
 */
public final class MacroSupport {

	private MacroSupport() {}

	/** "true" if two paths name the same folder or file ({@code /data/in}, {@code /data/in/} and {@code /data/in/.} do). */
	public static String sameFile(String a, String b) {
		return Boolean.toString(ImageFiles.sameFile(new File(a).toPath(), new File(b).toPath()));
	}

	/** "true" if a model of that name is installed in GenIJ's model store, else "false". */
	public static String modelInstalled(String name) {
		try {
			return Boolean.toString(io.github.genij.core.weights.ModelStore.defaultStore().contains(name));
		}
		catch (RuntimeException e) {
			return "false";
		}
	}

	/** A file name as a model name: its base name with anything but letters, digits, '.', '_', '-' replaced. */
	public static String modelName(String fileName) {
		String base = fileName.replaceAll("\\.(pth|pt|safetensors|ckpt)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
		return base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "m" + base : base;
	}

	/** Opens and shows an image; returns "" on success, else why it could not be opened. */
	public static String open(String path) {
		try {
			ImageFiles.open(new File(path).toPath()).show();
			return "";
		}
		catch (GenIJException e) {
			return e.getMessage();
		}
		catch (RuntimeException e) {
			return "cannot read it: " + e.getMessage();
		}
	}

	/**
	 * Writes {@code text} (a batch's table) to {@code path} only if no file has that name; returns "" on
	 * success, else why not. A macro's {@code File.saveString} would replace a file the user owns.
	 */
	public static String saveText(String path, String text) {
		try {
			java.nio.file.Files.writeString(new File(path).toPath(), text, java.nio.charset.StandardCharsets.UTF_8,
				java.nio.file.StandardOpenOption.CREATE_NEW);
			return "";
		}
		catch (java.nio.file.FileAlreadyExistsException e) {
			return path + " exists already; GenIJ does not replace it";
		}
		catch (java.io.IOException e) {
			return "cannot write " + path + ": " + e.getMessage();
		}
	}

	/**
	 * Saves the macro's current image as {@code path} the way the CLI saves results: written beside it,
	 * then published under its name only if that name is still free (a file that appeared meanwhile is
	 * never replaced). Returns "" on success, else why not. (A macro's own {@code File.rename} would also
	 * print a stray "1" in the log for every file.)
	 */
	public static String save(String path) {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) return "there is no result image to save";
		try {
			ImageFiles.save(imp, new File(path).toPath(), false);
			return "";
		}
		catch (GenIJException e) {
			return e.getMessage();
		}
	}
}
