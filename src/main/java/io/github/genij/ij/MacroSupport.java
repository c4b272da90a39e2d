package io.github.genij.ij;

import java.io.File;

import ij.IJ;
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
		File f = new File(path);
		if (!f.isFile()) return "no such file";
		try {
			ImageFiles.requireComplete(f.toPath());
			ImagePlus imp = IJ.openImage(path);
			if (imp == null) return "not an image ImageJ can read";
			imp.show();
			return "";
		}
		catch (GenIJException e) {
			return e.getMessage();
		}
		catch (RuntimeException e) {
			return "cannot read it: " + e.getMessage();
		}
	}
}
