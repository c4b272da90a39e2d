package io.github.genij.ij.demo;

import java.io.PrintStream;
import java.util.List;

/**
 * A training set a family makes from data Debian ships, for its own models and for people trying its
 * trainer: {@code genij data <name> [arguments]}. Found with {@link java.util.ServiceLoader}.
 */
public interface TrainingData {

	/** The set's name on the command line. */
	String name();

	/** Its arguments and what it makes, for the usage text. */
	String usage();

	/**
	 * Makes the set.
	 *
	 * @throws IllegalArgumentException with a message for arguments that make no sense
	 */
	void make(List<String> arguments, PrintStream out);
}
