package io.github.genij.cli;

import java.io.PrintStream;

import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;

/**
 * Long runs on the command line say how they are doing: the commands' status lines and progress (what
 * Fiji shows in its status bar) on stderr, at most one line every few seconds, so a log stays readable.
 */
final class StatusPrinter {

	private static final long EVERY_MS = 3000;

	private final PrintStream err;
	/** A run shorter than the interval prints nothing: its result or its one error line says it all. */
	private long last = System.currentTimeMillis();
	/** Progress events come without a message: they belong to the last one. */
	private String message = "working";

	StatusPrinter(PrintStream err) {
		this.err = err;
	}

	@EventHandler
	public void onStatus(StatusEvent e) {
		String m = e.getStatusMessage();
		// SciJava's own "Running command: ..." and "Command finished: ..." say nothing new on the command line
		if (m != null && !m.isEmpty() && !m.startsWith("Running command") && !m.startsWith("Command finished")) message = m;
		long now = System.currentTimeMillis();
		if (now - last < EVERY_MS) return;
		last = now;
		int value = e.getProgressValue(), max = e.getProgressMaximum();
		err.println("  " + message + (max > 0 && value >= 0 ? String.format(" (%d%%)", Math.min(100, 100L * value / max)) : ""));
	}
}
