package io.github.genij.core.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph on this thread, restored on close:
 * {@code try (NoGrad g = NoGrad.enter()) { ... }}.
 * <p>
 * libtorch's grad mode is per thread and on by default; DJL switches it off only on the thread that
 * started the engine. Commands run on SciJava's threads, so inference would otherwise build graphs it
 * never uses, and in-place updates of optimised arrays would be refused. A {@code GradientCollector}
 * opened inside the scope switches recording back on for its own duration.
 */
public final class NoGrad implements AutoCloseable {

	private final boolean previous;

	private NoGrad() {
		GenIJEngine.get();
		previous = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
	}

	public static NoGrad enter() {
		return new NoGrad();
	}

	@Override
	public void close() {
		JniUtils.setGradMode(previous);
	}
}
