package io.github.genij.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.ij.ImageFiles;

/**
 * {@code genij demo}: every model family that exists so far, on embedded inputs; results and one contact
 * sheet under the given folder; paths and timings printed.
 */
final class Demo {

	/** Each family adds its step here. */
	static List<DemoStep> steps(Path folder) {
		Path cache = folder.resolveSibling("demo-data");
		return Arrays.asList(new TilingDemo(), new GatysDemo(cache), new FashionDemo(cache));
	}

	private final PrintStream out;

	Demo(PrintStream out) {
		this.out = out;
	}

	int run(Path folder) throws GenIJException {
		try {
			Files.createDirectories(folder);
		}
		catch (java.io.IOException e) {
			throw new GenIJException("Cannot create " + folder + ": " + e.getMessage(), e);
		}
		long start = System.nanoTime();
		out.print(GenIJEngine.report().toText());
		out.printf("engine start: %.0f ms%n%n", (System.nanoTime() - start) / 1e6);
		List<ImagePlus> sheet = new ArrayList<>();
		for (DemoStep step : steps(folder.toAbsolutePath())) {
			out.println(step.title());
			long t = System.nanoTime();
			try {
				sheet.addAll(step.run(folder, out));
			}
			catch (GenIJException e) {
				throw e;
			}
			catch (Exception e) {
				throw new GenIJException(step.title() + " failed: " + e, e);
			}
			out.printf("  done in %.1f s%n%n", (System.nanoTime() - t) / 1e9);
		}
		Path sheetPath = folder.resolve("contact-sheet.png");
		ImageFiles.save(ContactSheet.of(sheet, 384), sheetPath, true);
		out.println("contact sheet: " + sheetPath);
		out.printf("demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
		return GenIJCli.OK;
	}
}
