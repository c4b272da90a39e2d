package io.github.genij.core.nn.module;

/**
 * A module that only holds children under the names it is given: an {@code nn.Sequential} whose parameter-free members
 * (activations, up-sampling) leave gaps in the keys ({@code conv1.1.conv.weight_orig} with nothing at {@code conv1.0}),
 * or a group the reference names itself. The forward pass is the owner's.
 */
public class Container extends Module {

	public final <M extends Module> M put(String name, M child) {
		return add(name, child);
	}
}
