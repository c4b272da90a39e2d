package io.github.genij.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;

/** One part of {@code genij demo}: runs on embedded inputs, writes its files, returns images for the contact sheet. */
interface DemoStep {

	String title();

	/** Runs, writing results into {@code folder} and one line per figure to {@code out}. */
	List<ImagePlus> run(Path folder, PrintStream out) throws Exception;
}
