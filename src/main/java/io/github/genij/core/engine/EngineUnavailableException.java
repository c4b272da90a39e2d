package io.github.genij.core.engine;

import io.github.genij.core.GenIJException;

/** The PyTorch engine could not start; the message says why and how to fix it. */
public class EngineUnavailableException extends GenIJException {

	private static final long serialVersionUID = 1L;

	public EngineUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
