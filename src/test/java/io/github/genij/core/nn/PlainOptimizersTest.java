package io.github.genij.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.genij.core.engine.GenIJEngine;

/** DJL's own optimisers work on bare arrays (an image being optimised), not only on block parameters. */
class PlainOptimizersTest {

	@Test
	void adamFitsAnImageThroughAConvolution() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			m.getEngine().setRandomSeed(5);
			NDArray kernel = m.randomNormal(new Shape(1, 1, 3, 3)), target = m.randomNormal(new Shape(1, 1, 16, 16));
			NDArray image = m.zeros(new Shape(1, 1, 16, 16));
			image.setRequiresGradient(true);
			Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
			float first = 0, last = 0;
			for (int step = 0; step < 300; step++) {
				try (NDManager s = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray y = Conv2d.conv2d(image, kernel, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)).get(0);
					NDArray loss = y.sub(target).square().mean();
					loss.attach(s);
					gc.backward(loss);
					last = loss.getFloat();
					if (step == 0) first = last;
				}
				try (NDArray grad = image.getGradient()) {
					adam.update("image", image, grad);
					grad.muli(0); // DJL's collector accumulates; the native Adam update does not reset it
				}
			}
			assertTrue(last < first / 10, "Adam reduced the loss from " + first + " to " + last);
		}
	}
}
