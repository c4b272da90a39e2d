package io.github.genij.core;

/**
 * A problem the user can fix: the message names what is wrong and what to do about it,
 * and is shown as it is (one line in the CLI, the error dialog or log in Fiji).
 */
public class GenIJException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public GenIJException(String message) {
		super(message);
	}

	public GenIJException(String message, Throwable cause) {
		super(message, cause);
	}
}
