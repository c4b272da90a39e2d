package io.github.genij.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;

/**
 * Constants in a differentiated expression must survive until the backward pass, whatever the garbage
 * collector does in between (DJL's own number forms do not: see {@link Scalars}).
 */
class ScalarsTest {

	@Test
	void gradientsThroughConstantsSurviveGarbageCollectionBeforeBackward() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			for (int round = 0; round < 20; round++) {
				NDArray x = m.create(new float[] { 1, 2, 3, 4 });
				x.setRequiresGradient(true);
				try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray y = Scalars.over(Scalars.times(x, 3f), 0.5f).sum();
					y.attach(step);
					// give freed direct memory every chance to be handed out again and overwritten
					System.gc();
					List<ByteBuffer> litter = new ArrayList<>();
					for (int i = 0; i < 64; i++) {
						ByteBuffer b = ByteBuffer.allocateDirect(64);
						while (b.hasRemaining()) b.put((byte) 0x7f);
						litter.add(b);
					}
					gc.backward(y);
					assertArrayEquals(new float[] { 6, 6, 6, 6 }, x.getGradient().toFloatArray(), 0f, "round " + round);
					litter.clear();
				}
			}
		}
	}
}
