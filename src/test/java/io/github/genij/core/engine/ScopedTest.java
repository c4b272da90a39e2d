package io.github.genij.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class ScopedTest {

	@Test
	void intermediatesAreFreedAndOnlyTheResultStays() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			NDArray x = m.ones(new Shape(4, 4));
			int before = m.getManagedArrays().size();
			NDArray y = Scoped.apply(x, a -> a.add(1).mul(2).sub(3).exp());
			assertEquals(before + 1, m.getManagedArrays().size(), "only the result joined the caller's manager");
			assertEquals(Math.exp(1), y.getFloat(0, 0), 1e-5);
			assertTrue(x.getManager() == m, "the input is back home");
			// without the scope, every intermediate would stay
			x.add(1).mul(2).sub(3).exp();
			assertEquals(before + 5, m.getManagedArrays().size());
		}
	}
}
