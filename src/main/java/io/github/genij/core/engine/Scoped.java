package io.github.genij.core.engine;

import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Runs a computation so that its intermediate arrays are freed when it returns.
 * <p>
 * DJL attaches every op's result to the manager of its input. A network run on an array that lives in a
 * command's manager would keep all its activations (gigabytes for a large image) until the command ends.
 * Here the input is temporarily attached to a fresh sub-manager, so everything computed from it lands
 * there; only the result is moved back to the input's own manager before the scope closes.
 */
public final class Scoped {

	private Scoped() {}

	public static NDArray apply(NDArray input, Function<NDArray, NDArray> computation) {
		NDManager home = input.getManager();
		try (NDManager scope = home.newSubManager()) {
			input.tempAttach(scope);
			NDArray result = computation.apply(input);
			result.attach(home);
			return result;
		}
	}
}
