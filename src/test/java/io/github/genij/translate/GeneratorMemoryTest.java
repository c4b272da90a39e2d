package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.BatchNorm;

/**
 * In inference a generator keeps no intermediate arrays once its forward pass returns: a tile's
 * manager would otherwise hold every layer's temporaries (several times one layer's activations)
 * until the tile ends. Checked by counting what is left in the tile's manager.
 */
class GeneratorMemoryTest {

	@Test
	void onlyTheInputAndTheOutputOutliveTheForwardPass() {
		for (BatchNorm.Statistics stats : BatchNorm.Statistics.values()) {
			try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
				Generator gen = Generators.load(TranslateBenchmarks.randomUnet(3, 6, 4, 3, m), "auto", "auto", stats, 11L, m);
				NDManager tile = m.newSubManager())
			{
				NDArray x = tile.randomUniform(-1, 1, new Shape(1, 3, 128, 192));
				NDArray y = gen.forward(x);
				assertArrayEquals(new long[] { 1, 3, 128, 192 }, y.getShape().getShape());
				int left = ((BaseNDManager) tile).getManagedArrays().size();
				assertTrue(left <= 2, stats + ": " + left + " arrays left in the tile's manager, expected the input and the output");
			}
		}
	}
}
