package io.github.genij.core.nn.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PyTorch's {@code ModuleList}: children named {@code 0, 1, 2, ...} ({@code body.3.conv_0.weight}), for
 * blocks that take more than one input and so cannot be a {@link Sequential}.
 */
public class ModuleList<M extends Module> extends Module {

	private final List<M> items = new ArrayList<>();

	public final M append(M item) {
		items.add(add(String.valueOf(items.size()), item));
		return item;
	}

	public final List<M> items() {
		return Collections.unmodifiableList(items);
	}

	public final int size() {
		return items.size();
	}
}
