package io.github.genij.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;

/**
 * L-BFGS keeps a bounded history: once it is full, further steps must not leave arrays behind. Gatys'
 * default 300 evaluations once grew by ~100 MB per evaluation (products of history vectors landed in the
 * history's manager), enough to take a 24 GB machine down.
 */
class LbfgsMemoryTest {

	@Test
	void liveArraysStayFlatOnceTheHistoryIsFull() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			NDArray target = m.randomNormal(new Shape(1000));
			NDArray x = m.zeros(new Shape(1000));
			Lbfgs.Options o = new Lbfgs.Options();
			o.historySize = 5;
			o.maxIter = 4;
			int[] evaluations = { 0 };
			Lbfgs.Objective f = () -> {
				evaluations[0]++;
				try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					x.tempAttach(step);
					// a badly scaled quadratic: many iterations before convergence
					NDArray d = x.sub(target);
					NDArray loss = d.square().mul(scales(step)).sum();
					gc.backward(loss);
					return loss.getFloat();
				}
			};
			try (Lbfgs opt = new Lbfgs(List.of(x), o)) {
				for (int i = 0; i < 5; i++) opt.step(f); // fills the history
				int after5 = live(m);
				for (int i = 0; i < 20; i++) opt.step(f);
				int after25 = live(m);
				assertTrue(evaluations[0] >= 50, "the optimiser kept working: " + evaluations[0] + " evaluations");
				assertEquals(after5, after25, "arrays alive after 5 steps and after 25 (history " + o.historySize + ")");
			}
		}
	}

	private static NDArray scales(NDManager step) {
		return step.arange(1f, 1001f);
	}

	private static int live(NDManager m) {
		return ((BaseNDManager) m).getManagedArrays().size();
	}
}
