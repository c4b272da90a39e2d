package io.github.genij.core.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.NoGrad;

/**
 * Adam as {@code torch.optim.Adam} computes it (bias corrections, epsilon added after the square root),
 * over named parameters whose moments can be saved and restored, so that training resumes where it
 * stopped. DJL's own Adam keeps its state out of reach and differs in where epsilon goes.
 * <p>
 * {@link #step} reads each parameter's gradient and zeroes it afterwards: DJL's gradient collector never
 * clears gradients, it only adds to them.
 */
public final class Adam implements AutoCloseable {

	private final Map<String, NDArray> params;
	private final float beta1, beta2, eps;
	private final NDManager manager;
	private final Map<String, NDArray> firstMoment = new LinkedHashMap<>(), secondMoment = new LinkedHashMap<>();
	private long steps;

	/**
	 * @param params the trained arrays by name, each with a gradient attached; their order is kept
	 */
	public Adam(Map<String, NDArray> params, float beta1, float beta2, float eps, NDManager parent) {
		this.params = params;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.eps = eps;
		this.manager = parent.newSubManager();
		for (Map.Entry<String, NDArray> e : params.entrySet()) {
			NDArray p = e.getValue();
			firstMoment.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
			secondMoment.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
		}
	}

	/** One update of every parameter with learning rate {@code lr}; gradients are zeroed afterwards. */
	public void step(float lr) {
		steps++;
		float bc1 = (float) (1 - Math.pow(beta1, steps)), bc2Root = (float) Math.sqrt(1 - Math.pow(beta2, steps));
		try (NoGrad g = NoGrad.enter(); NDManager tmp = manager.newSubManager()) {
			for (Map.Entry<String, NDArray> e : params.entrySet()) {
				// every temporary goes to tmp: results land in their first operand's manager, which would keep them
				NDArray p = e.getValue(), grad = p.getGradient();
				grad.attach(tmp);
				NDArray m = firstMoment.get(e.getKey()), v = secondMoment.get(e.getKey());
				m.muli(beta1).addi(grad.mul(1 - beta1));
				v.muli(beta2).addi(grad.square().muli(1 - beta2));
				NDArray denominator = v.sqrt();
				denominator.attach(tmp);
				denominator.divi(bc2Root).addi(eps);
				NDArray update = m.div(denominator);
				update.attach(tmp);
				p.subi(update.muli(lr / bc1));
				grad.muli(0);
			}
		}
	}


	/** Clears the gradients without updating (e.g. those a generator step left in the discriminator). */
	public void zeroGradients() {
		try (NoGrad g = NoGrad.enter()) {
			for (NDArray p : params.values()) {
				try (NDArray grad = p.getGradient()) {
					grad.muli(0);
				}
			}
		}
	}

	public long steps() {
		return steps;
	}

	/** The moments as {@code <prefix>exp_avg.<name>} / {@code <prefix>exp_avg_sq.<name>} (live arrays, not copies). */
	public Map<String, NDArray> state(String prefix) {
		Map<String, NDArray> out = new LinkedHashMap<>();
		firstMoment.forEach((k, v) -> out.put(prefix + "exp_avg." + k, v));
		secondMoment.forEach((k, v) -> out.put(prefix + "exp_avg_sq." + k, v));
		return out;
	}

	/** Restores what {@link #state} gave, after {@code steps} updates. */
	public void restore(Map<String, float[]> state, String prefix, long steps) {
		for (String k : params.keySet()) {
			float[] m = state.get(prefix + "exp_avg." + k), v = state.get(prefix + "exp_avg_sq." + k);
			if (m == null || v == null) throw new IllegalArgumentException("the optimiser state lacks the moments of " + k);
			// fresh arrays in place of the zeros: NDArray.set(buffer) goes through a libtorch guard that prints a
			// deprecation warning ("AutoNonVariableTypeMode") to the user's terminal
			replace(firstMoment, k, m);
			replace(secondMoment, k, v);
		}
		this.steps = steps;
	}

	private void replace(Map<String, NDArray> moments, String key, float[] values) {
		NDArray old = moments.get(key);
		if (values.length != old.size()) {
			throw new IllegalArgumentException("the saved moments of " + key + " have " + values.length + " values, not " + old.size());
		}
		NDArray fresh = manager.create(values, old.getShape()).toDevice(old.getDevice(), false);
		moments.put(key, fresh);
		old.close();
	}

	@Override
	public void close() {
		manager.close();
	}
}
