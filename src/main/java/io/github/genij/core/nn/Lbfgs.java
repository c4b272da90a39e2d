package io.github.genij.core.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.engine.NoGrad;

/**
 * L-BFGS over DJL arrays, following {@code torch.optim.LBFGS} step for step (two-loop recursion, history,
 * optional strong-Wolfe line search with cubic interpolation, the same tolerance stops), so that results
 * can be compared with PyTorch's on the same problem. DJL has no L-BFGS; Gatys style transfer needs it.
 * <p>
 * The parameters are updated in place. The {@link Objective} evaluates the loss at the current
 * parameters and leaves its gradient in each parameter's {@code getGradient()}; the optimiser zeroes the
 * gradients before every evaluation (DJL's gradient collector accumulates). The optimiser's history
 * lives in its own NDManager; {@link #close()} frees it.
 */
public final class Lbfgs implements AutoCloseable {

	/** Settings, with torch.optim.LBFGS's defaults. */
	public static final class Options {
		public double lr = 1;
		public int maxIter = 20;
		/** Defaults to {@code maxIter * 5 / 4}, as in PyTorch. */
		public Integer maxEval;
		public double toleranceGrad = 1e-7;
		public double toleranceChange = 1e-9;
		public int historySize = 100;
		public boolean strongWolfe;
	}

	/** Evaluates the loss at the current parameters and fills their gradients. */
	@FunctionalInterface
	public interface Objective {
		double evaluate();
	}

	private static final double C1 = 1e-4, C2 = 0.9;
	private static final int MAX_LINE_SEARCH = 25;

	private final List<NDArray> params;
	private final Options options;
	private final NDManager state;

	private final ArrayDeque<NDArray> oldDirs = new ArrayDeque<>(), oldSteps = new ArrayDeque<>();
	private final ArrayDeque<Double> ro = new ArrayDeque<>();
	private NDArray direction, previousGrad;
	private double t, hDiag = 1, previousLoss;
	private int iterations, evaluations;

	public Lbfgs(List<NDArray> params, Options options) {
		if (params.isEmpty()) throw new IllegalArgumentException("nothing to optimise");
		this.params = new ArrayList<>(params);
		this.options = options;
		this.state = params.get(0).getManager().newSubManager();
		for (NDArray p : params) p.setRequiresGradient(true);
	}

	/** Total iterations over all steps. */
	public int iterations() {
		return iterations;
	}

	/** Total objective evaluations over all steps. */
	public int evaluations() {
		return evaluations;
	}

	/**
	 * Up to {@code maxIter} iterations (one {@code step()} of PyTorch's optimiser).
	 *
	 * @return the loss at the parameters as they were when the step began
	 */
	public double step(Objective objective) {
		int maxEval = options.maxEval != null ? options.maxEval : options.maxIter * 5 / 4;
		try (NDManager scratch = state.newSubManager()) {
			Evaluation e = evaluate(objective, scratch);
			double originalLoss = e.loss, loss = e.loss;
			NDArray flatGrad = e.grad;
			int currentEvals = 1;
			evaluations++;
			if (maxAbs(flatGrad) <= options.toleranceGrad) return originalLoss;

			int n = 0;
			while (n < options.maxIter) {
				n++;
				iterations++;
				NDArray newDirection;
				if (iterations == 1) {
					newDirection = flatGrad.neg();
					hDiag = 1;
				}
				else {
					updateHistory(flatGrad, scratch);
					newDirection = twoLoop(flatGrad, scratch);
				}
				direction = replace(direction, newDirection);
				previousGrad = replace(previousGrad, flatGrad.duplicate());
				previousLoss = loss;

				t = iterations == 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * options.lr : options.lr;
				double gtd = dot(flatGrad, direction);
				if (gtd > -options.toleranceChange) break;

				int lineSearchEvals;
				boolean optimal;
				if (options.strongWolfe) {
					List<NDArray> start = snapshot(scratch);
					LineSearch ls = strongWolfe(objective, start, t, direction, loss, flatGrad, gtd, scratch);
					loss = ls.loss;
					flatGrad = ls.grad;
					t = ls.t;
					lineSearchEvals = ls.evaluations;
					addToParams(t, direction);
					optimal = maxAbs(flatGrad) <= options.toleranceGrad;
				}
				else {
					addToParams(t, direction);
					lineSearchEvals = 0;
					optimal = false;
					if (n != options.maxIter) {
						Evaluation again = evaluate(objective, scratch);
						loss = again.loss;
						flatGrad = again.grad;
						optimal = maxAbs(flatGrad) <= options.toleranceGrad;
						lineSearchEvals = 1;
					}
				}
				currentEvals += lineSearchEvals;
				evaluations += lineSearchEvals;

				if (n == options.maxIter || currentEvals >= maxEval || optimal) break;
				if (maxAbs(direction) * Math.abs(t) <= options.toleranceChange) break;
				if (Math.abs(loss - previousLoss) < options.toleranceChange) break;
			}
			return originalLoss;
		}
	}

	/** Adds the newest curvature pair (if it is one) to the history, dropping the oldest when full. */
	private void updateHistory(NDArray flatGrad, NDManager scratch) {
		NDArray y = own(flatGrad.sub(previousGrad), scratch);
		NDArray s = own(direction.mul(t), scratch);
		double ys = dot(y, s);
		if (ys > 1e-10) {
			if (oldDirs.size() == options.historySize) {
				oldDirs.removeFirst().close();
				oldSteps.removeFirst().close();
				ro.removeFirst();
			}
			keep(y);
			keep(s);
			oldDirs.addLast(y);
			oldSteps.addLast(s);
			ro.addLast(1 / ys);
			hDiag = ys / dot(y, y);
		}
	}

	/**
	 * The two-loop recursion: the quasi-Newton direction for the current gradient. Each intermediate
	 * vector is freed as soon as the next one exists: kept until the step ends, they would be
	 * 2 x history image-sized arrays per iteration (gigabytes over one step of Gatys).
	 */
	private NDArray twoLoop(NDArray flatGrad, NDManager scratch) {
		int m = oldDirs.size();
		double[] alpha = new double[m];
		NDArray[] dirs = oldDirs.toArray(new NDArray[0]), steps = oldSteps.toArray(new NDArray[0]);
		Double[] rho = ro.toArray(new Double[0]);
		NDArray q = own(flatGrad.neg(), scratch);
		for (int i = m - 1; i >= 0; i--) {
			alpha[i] = dot(steps[i], q) * rho[i];
			try (NDArray scaled = dirs[i].mul(alpha[i])) { // lands in the history's manager: free it now
				q = replaceTemporary(q, q.sub(scaled));
			}
		}
		NDArray r = replaceTemporary(q, q.mul(hDiag));
		for (int i = 0; i < m; i++) {
			double beta = dot(dirs[i], r) * rho[i];
			try (NDArray scaled = steps[i].mul(alpha[i] - beta)) {
				r = replaceTemporary(r, r.add(scaled));
			}
		}
		return r;
	}

	/** {@code next}, computed from {@code previous}, which is freed (both live in the step's scratch). */
	private static NDArray replaceTemporary(NDArray previous, NDArray next) {
		previous.close();
		return next;
	}

	private LineSearch strongWolfe(Objective objective, List<NDArray> start, double step, NDArray d, double f,
		NDArray g, double gtd, NDManager scratch)
	{
		double dNorm = maxAbs(d);
		Evaluation e = directional(objective, start, step, d, scratch);
		int evals = 1, lsIter = 0;
		double fNew = e.loss, gtdNew = dot(e.grad, d);
		NDArray gNew = e.grad;
		double tPrev = 0, fPrev = f, gtdPrev = gtd;
		NDArray gPrev = g;
		double tCur = step;
		boolean done = false;
		double[] bracket = null, bracketF = null, bracketGtd = null;
		NDArray[] bracketG = null;

		while (lsIter < MAX_LINE_SEARCH) {
			// PyTorch's order matters: too little decrease, then enough curvature, then an upward slope.
			boolean tooLittleDecrease = fNew > f + C1 * tCur * gtd || (lsIter > 1 && fNew >= fPrev);
			if (!tooLittleDecrease && Math.abs(gtdNew) <= -C2 * gtd) {
				bracket = new double[] { tCur };
				bracketF = new double[] { fNew };
				bracketG = new NDArray[] { gNew };
				done = true;
				break;
			}
			if (tooLittleDecrease || gtdNew >= 0) {
				bracket = new double[] { tPrev, tCur };
				bracketF = new double[] { fPrev, fNew };
				bracketG = new NDArray[] { gPrev, gNew };
				bracketGtd = new double[] { gtdPrev, gtdNew };
				break;
			}
			double minStep = tCur + 0.01 * (tCur - tPrev), maxStep = tCur * 10, tmp = tCur;
			tCur = cubicInterpolate(tPrev, fPrev, gtdPrev, tCur, fNew, gtdNew, minStep, maxStep);
			tPrev = tmp;
			fPrev = fNew;
			gPrev = gNew;
			gtdPrev = gtdNew;
			e = directional(objective, start, tCur, d, scratch);
			fNew = e.loss;
			gNew = e.grad;
			evals++;
			gtdNew = dot(gNew, d);
			lsIter++;
		}
		if (lsIter == MAX_LINE_SEARCH) {
			bracket = new double[] { 0, tCur };
			bracketF = new double[] { f, fNew };
			bracketG = new NDArray[] { g, gNew };
			bracketGtd = new double[] { gtd, gtdNew };
		}

		// zoom: shrink the bracket until the strong Wolfe conditions hold
		boolean insufficientProgress = false;
		int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1, high = 1 - low;
		while (!done && lsIter < MAX_LINE_SEARCH) {
			if (Math.abs(bracket[1] - bracket[0]) * dNorm < options.toleranceChange) break;
			tCur = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
				Math.min(bracket[0], bracket[1]), Math.max(bracket[0], bracket[1]));
			double hi = Math.max(bracket[0], bracket[1]), lo = Math.min(bracket[0], bracket[1]);
			double eps = 0.1 * (hi - lo);
			if (Math.min(hi - tCur, tCur - lo) < eps) {
				if (insufficientProgress || tCur >= hi || tCur <= lo) {
					tCur = Math.abs(tCur - hi) < Math.abs(tCur - lo) ? hi - eps : lo + eps;
					insufficientProgress = false;
				}
				else insufficientProgress = true;
			}
			else insufficientProgress = false;
			e = directional(objective, start, tCur, d, scratch);
			fNew = e.loss;
			gNew = e.grad;
			evals++;
			gtdNew = dot(gNew, d);
			lsIter++;
			if (fNew > f + C1 * tCur * gtd || fNew >= bracketF[low]) {
				bracket[high] = tCur;
				bracketF[high] = fNew;
				bracketG[high] = gNew;
				bracketGtd[high] = gtdNew;
				low = bracketF[0] <= bracketF[1] ? 0 : 1;
				high = 1 - low;
			}
			else {
				if (Math.abs(gtdNew) <= -C2 * gtd) done = true;
				else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
					bracket[high] = bracket[low];
					bracketF[high] = bracketF[low];
					bracketG[high] = bracketG[low];
					bracketGtd[high] = bracketGtd[low];
				}
				bracket[low] = tCur;
				bracketF[low] = fNew;
				bracketG[low] = gNew;
				bracketGtd[low] = gtdNew;
			}
		}
		LineSearch result = new LineSearch();
		result.t = bracket[low];
		result.loss = bracketF[low];
		result.grad = bracketG[low];
		result.evaluations = evals;
		return result;
	}

	/** Minimiser of the cubic through two points with values and slopes, clamped to [lower, upper]. */
	static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lower,
		double upper)
	{
		double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
		double d2Square = d1 * d1 - g1 * g2;
		if (d2Square >= 0) {
			double d2 = Math.sqrt(d2Square);
			double minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
				: x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
			return Math.min(Math.max(minPos, lower), upper);
		}
		return (lower + upper) / 2;
	}

	/** The loss and gradient at start + step * d; the parameters are put back to start afterwards. */
	private Evaluation directional(Objective objective, List<NDArray> start, double step, NDArray d, NDManager scratch) {
		addToParams(step, d);
		Evaluation e = evaluate(objective, scratch);
		try (NoGrad g = NoGrad.enter()) {
			for (int i = 0; i < params.size(); i++) params.get(i).muli(0).addi(start.get(i));
		}
		return e;
	}

	private Evaluation evaluate(Objective objective, NDManager scratch) {
		try (NoGrad g = NoGrad.enter()) {
			for (NDArray p : params) {
				try (NDArray grad = p.getGradient()) {
					grad.muli(0);
				}
			}
		}
		Evaluation e = new Evaluation();
		e.loss = objective.evaluate();
		// copies (the gradients are zeroed in place before the next evaluation), made in the scratch
		NDList grads = new NDList();
		for (NDArray p : params) {
			try (NDArray g = p.getGradient(); NDArray flat = g.flatten()) {
				grads.add(own(flat.duplicate(), scratch));
			}
		}
		if (grads.size() == 1) e.grad = grads.get(0);
		else {
			e.grad = own(NDArrays.concat(grads), scratch);
			grads.close();
		}
		return e;
	}

	private void addToParams(double step, NDArray flatDirection) {
		try (NoGrad g = NoGrad.enter()) {
			addToParamsRecordless(step, flatDirection);
		}
	}

	/** In-place updates of the parameters, which autograd must not see (they are leaves that need gradients). */
	private void addToParamsRecordless(double step, NDArray flatDirection) {
		long offset = 0;
		for (NDArray p : params) {
			long n = p.size();
			// every temporary closed here: they would land in the direction's long-lived manager
			try (NDArray part = flatDirection.get(offset + ":" + (offset + n)); NDArray scaled = part.mul(step);
				NDArray shaped = scaled.reshape(p.getShape())) {
				p.addi(shaped);
			}
			offset += n;
		}
	}

	private List<NDArray> snapshot(NDManager scratch) {
		List<NDArray> copies = new ArrayList<>();
		for (NDArray p : params) copies.add(own(p.duplicate(), scratch));
		return copies;
	}

	private static double dot(NDArray a, NDArray b) {
		try (NDArray r = a.dot(b)) {
			return scalar(r);
		}
	}

	private static double maxAbs(NDArray a) {
		try (NDArray abs = a.abs(); NDArray r = abs.max()) {
			return scalar(r);
		}
	}

	private static double sumAbs(NDArray a) {
		try (NDArray abs = a.abs(); NDArray r = abs.sum()) {
			return scalar(r);
		}
	}

	private static double scalar(NDArray r) {
		return r.getDataType() == DataType.FLOAT64 ? r.getDouble() : r.getFloat();
	}

	private static NDArray own(NDArray a, NDManager manager) {
		a.attach(manager);
		return a;
	}

	/** Keeps {@code fresh} in the optimiser's state and frees what it replaces. */
	private NDArray replace(NDArray old, NDArray fresh) {
		keep(fresh);
		if (old != null) old.close();
		return fresh;
	}

	/** Moves an array into the optimiser's long-lived state (it outlives the step's scratch manager). */
	private void keep(NDArray a) {
		a.attach(state);
	}

	@Override
	public void close() {
		oldDirs.clear();
		oldSteps.clear();
		state.close();
	}

	private static final class Evaluation {
		double loss;
		NDArray grad;
	}

	private static final class LineSearch {
		double t, loss;
		NDArray grad;
		int evaluations;
	}
}
