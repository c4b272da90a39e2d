package io.github.genij.ij.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;

/**
 * One part of {@code genij demo}, provided by a model family and found with {@link java.util.ServiceLoader}
 * (a line in {@code META-INF/services/io.github.genij.ij.demo.DemoStep}): runs the family's commands on
 * embedded inputs, writes its files, returns images for the contact sheet.
 */
public interface DemoStep {

	String title();

	/** Where in the demo it runs: lower first (the engine's own tiling demo is 0). */
	int order();

	/**
	 * Runs, writing results into {@code folder} and one line per figure to {@code out}.
	 *
	 * @param cache where downloaded demo data is kept between runs
	 */
	List<ImagePlus> run(Path folder, Path cache, PrintStream out) throws Exception;
}
