package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.engine.NoGrad;

/**
 * Which side of zero every lrelu input fell on in one pass, kept so that later passes use the same slopes: what
 * makes {@link GradientPenalties}' central differences equal PyTorch's double backward. Double backward treats each
 * lrelu's slope as fixed at the point where it differentiates; a difference quotient instead sees a slope flip
 * wherever the ±ε step carries an input across zero, and that flip, divided by ε, is an error that does not shrink
 * with ε (measured: gradients off by 10× their size at ε 1e-5 in float64). With the first pass's slopes replayed
 * the passes are linear in the step through every lrelu, so only the smooth parts (modulation, demodulation,
 * the minibatch deviation) leave an O(ε²) error.
 * <p>
 * One pattern is active per thread, between {@link #recording} and {@link #close}; {@link #lrelu} is plain
 * lrelu when none is.
 */
final class ActivationPattern implements AutoCloseable {

	private static final ThreadLocal<ActivationPattern> ACTIVE = new ThreadLocal<>();

	private final List<NDArray> slopes = new ArrayList<>();
	private boolean replaying;
	private int next;

	private ActivationPattern() {}

	/** Starts recording the slopes of every lrelu on this thread. */
	static ActivationPattern recording() {
		if (ACTIVE.get() != null) throw new IllegalStateException("an activation pattern is already active");
		ActivationPattern p = new ActivationPattern();
		ACTIVE.set(p);
		return p;
	}

	/** {@code pass} with the recorded slopes, lrelu by lrelu in the order recorded (the same network, the same batch). */
	<T> T replay(Supplier<T> pass) {
		replaying = true;
		next = 0;
		T out = pass.get();
		if (next != slopes.size()) throw new IllegalStateException("the replayed pass used " + next + " of " + slopes.size() + " recorded lrelus");
		return out;
	}

	/** lrelu with slope 0.2 (× 1: the callers apply √2), or with the active pattern's slopes. */
	static NDArray lrelu(NDArray x) {
		return lrelu(x, StyleOps.SLOPE);
	}

	/** lrelu with {@code leak} below zero, or with the active pattern's slopes. */
	static NDArray lrelu(NDArray x, float leak) {
		ActivationPattern p = ACTIVE.get();
		if (p == null) return Activation.leakyRelu(x, leak);
		NDArray slope;
		if (p.replaying) {
			if (p.next >= p.slopes.size()) throw new IllegalStateException("the replayed pass has more lrelus than the recorded one");
			slope = p.slopes.get(p.next++);
		}
		else {
			try (NoGrad g = NoGrad.enter()) {
				// 1 where x > 0, else the leak: a constant for autograd, as lrelu's own derivative is
				slope = x.gt(0).toType(x.getDataType(), false).mul(1 - leak).add(leak);
			}
			p.slopes.add(slope);
		}
		return x.mul(slope);
	}

	@Override
	public void close() {
		ACTIVE.remove();
	}
}
