package io.github.genij.core.progress;

/**
 * What long-running core work reports to, and asks whether to stop.
 * <p>
 * The core knows nothing of SciJava; a command adapts its {@code StatusService},
 * {@code LogService} and cancel flag to this interface, a test or the CLI uses
 * {@link #NONE} or a lambda-friendly implementation of its own.
 */
public interface Progress {

	/** Short status line ("Tile 3 of 12"). */
	void status(String message);

	/** Fraction of the work done, {@code done} out of {@code total} steps. */
	void progress(long done, long total);

	/** A line worth keeping in the log (decisions, retries, timings). */
	void log(String message);

	/** True once the user asked to stop. */
	boolean isCancelled();

	/** Throws {@link CancelledException} if the user asked to stop; call between tiles and iterations. */
	default void checkCancelled() {
		if (isCancelled()) throw new CancelledException();
	}

	/** Reports nothing and never cancels. */
	Progress NONE = new Progress() {
		@Override public void status(String message) {}
		@Override public void progress(long done, long total) {}
		@Override public void log(String message) {}
		@Override public boolean isCancelled() { return false; }
	};
}
