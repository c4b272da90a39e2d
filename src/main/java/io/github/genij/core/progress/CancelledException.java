package io.github.genij.core.progress;

/** Thrown from {@link Progress#checkCancelled()} when the user asked to stop. */
public class CancelledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CancelledException() {
		super("Cancelled by the user.");
	}
}
