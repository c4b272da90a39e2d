package io.github.genij.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.demo.DemoStep;

/**
 * {@code genij demo}: every model family that exists so far, on embedded inputs; results and one contact
 * sheet under the given folder; paths and timings printed.
 */
final class Demo {

	/** The engine's own tiling step, then every family's steps (found with ServiceLoader), by their order. */
	static List<DemoStep> steps() {
		List<DemoStep> steps = new ArrayList<>();
		steps.add(new TilingDemo());
		ServiceLoader.load(DemoStep.class, Demo.class.getClassLoader()).forEach(steps::add);
		steps.sort(Comparator.comparingInt(DemoStep::order));
		return steps;
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
		Path cache = folder.toAbsolutePath().resolveSibling("demo-data");
		// -Dgenij.demo.only=CycleGanFashionDemo,SpadeFashionDemo runs just those steps (while working on one)
		String only = System.getProperty("genij.demo.only", "").trim();
		for (DemoStep step : steps()) {
			if (!only.isEmpty() && !java.util.Arrays.asList(only.split(",")).contains(step.getClass().getSimpleName())) continue;
			out.println(step.title());
			long t = System.nanoTime();
			try {
				sheet.addAll(step.run(folder, cache, out));
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
