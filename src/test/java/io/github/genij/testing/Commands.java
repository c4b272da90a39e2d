package io.github.genij.testing;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Runs a GenIJ command as Fiji would (SciJava's CommandService, pre- and post-processing included) in one SciJava
 * context shared by the test JVM, so a test class needs no context of its own.
 */
public final class Commands {

	private static Context context;

	private Commands() {}

	/** Runs {@code command} with {@code keys} (name, value, name, value, ...) and waits for it. */
	public static CommandModule run(Class<? extends Command> command, Object... keys) throws Exception {
		return context().service(CommandService.class).run(command, true, keys).get();
	}

	private static synchronized Context context() {
		if (context == null) {
			context = new Context();
			Runtime.getRuntime().addShutdownHook(new Thread(context::dispose));
		}
		return context;
	}
}
