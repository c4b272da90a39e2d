package io.github.genij.core.weights;

import io.github.genij.core.GenIJException;

/** A weights file could not be read; the message names the file's problem. */
public class CheckpointException extends GenIJException {

	private static final long serialVersionUID = 1L;

	public CheckpointException(String message) {
		super(message);
	}

	public CheckpointException(String message, Throwable cause) {
		super(message, cause);
	}
}
