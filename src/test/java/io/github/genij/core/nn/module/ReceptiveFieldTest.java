package io.github.genij.core.nn.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;

/**
 * The receptive field computed from the module tree against the one measured: with positive weights and
 * no activations, the input pixels that reach one output pixel are those where its gradient is non-zero.
 * Exact for chains of convolutions; with up-sampling, neighbouring output pixels share inputs and one
 * pixel's field can be a little smaller than the computed bound (safe for a halo); max-pooling passes the
 * gradient to one input of each window only, so there the measurement is a lower bound.
 */
class ReceptiveFieldTest {

	@Test
	void computedFieldEqualsTheGradientsReach() {
		check(chain(new Conv(1, 2, 3, 1, 1, true), new Conv(2, 2, 4, 2, 1, true), new Conv(2, 2, 3, 1, 1, true)), 32);
		check(chain(new Conv(1, 2, 7, 1, 3, true), new Conv(2, 2, 3, 2, 1, true), new Conv(2, 1, 3, 1, 1, true)), 48);
		check(chain(new Conv(1, 2, 4, 2, 1, true), new Conv(2, 2, 4, 2, 1, true), new ConvTranspose(2, 2, 4, 2, 1, 0, true),
			new ConvTranspose(2, 1, 4, 2, 1, 0, true)), 64);
		check(chain(new ReflectionPad(1), new Conv(1, 2, 3, 1, 0, true), new MaxPool(2, true), new Conv(2, 2, 3, 1, 1, true),
			new Upsample(2), new Conv(2, 1, 3, 1, 1, true)), 48);
		check(chain(new Conv(1, 2, 7, 1, 3, true), new Conv(2, 2, 3, 2, 1, true), new ConvTranspose(2, 1, 3, 2, 1, 1, true)), 48);
	}

	@Test
	void sizeMultipleIsTheCoarsestGrid() {
		assertEquals(4, ReceptiveField.of(chain(new Conv(1, 1, 3, 2, 1, true), new Conv(1, 1, 3, 2, 1, true),
			new ConvTranspose(1, 1, 3, 2, 1, 1, true))).multiple);
		assertEquals(1, ReceptiveField.of(chain(new Conv(1, 1, 3, 1, 1, true))).multiple);
	}

	@Test
	void theHaloCoversALocalFieldAndKeepsASeamMarginForAWideOne() {
		ReceptiveField local = ReceptiveField.of(chain(new Conv(1, 1, 7, 1, 3, true), new Conv(1, 1, 3, 2, 1, true)));
		assertEquals(9, local.size);
		assertEquals(4, local.halo(64)); // the radius: tiles equal the whole image
		assertTrue(local.haloCoversField(64));
		Sequential wide = new Sequential();
		for (int i = 0; i < 8; i++) wide.append(new Conv(1, 1, 4, 2, 1, true));
		ReceptiveField f = ReceptiveField.of(wide); // 1 + 3 * (1 + 2 + ... + 128) = 766
		assertEquals(766, f.size);
		assertEquals(256, f.multiple);
		assertEquals(ReceptiveField.SEAM_MARGIN, f.halo(1024));
		assertEquals(80, f.halo(1280)); // a sixteenth of a larger window
		assertEquals(false, f.haloCoversField(1024));
		assertEquals(383, f.halo(2000 * 4)); // a window four times the field: covered
	}

	private static Sequential chain(Layer... layers) {
		return new Sequential(layers);
	}

	private static void check(Sequential net, int side) {
		for (Conv c : net.modulesOf(Conv.class)) c.init(Init.ones(), Init.zeros());
		for (ConvTranspose c : net.modulesOf(ConvTranspose.class)) c.init(Init.ones(), Init.zeros());
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			net.initialise(1, m);
			net.train(true); // no scoping: the gradient must reach the input
			NDArray x = m.ones(new Shape(1, 1, side, side));
			x.setRequiresGradient(true);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray y = net.forward(x);
				long h = y.getShape().get(2), w = y.getShape().get(3);
				gc.backward(y.get("0, 0, " + h / 2 + ", " + w / 2));
			}
			float[] g = x.getGradient().toFloatArray();
			int first = side, last = -1, row = side / 2;
			// the measured reach along the row through the centre, wherever the non-zero gradient lies
			for (int r = 0; r < side; r++)
				for (int c = 0; c < side; c++)
					if (g[r * side + c] != 0) {
						first = Math.min(first, c);
						last = Math.max(last, c);
					}
			long computed = ReceptiveField.of(net).size, measured = last - first + 1;
			String what = "receptive field of " + describe(net) + " (row " + row + "): computed " + computed + ", measured " + measured;
			if (net.modulesOf(ConvTranspose.class).isEmpty() && net.modulesOf(Upsample.class).isEmpty() &&
				net.modulesOf(MaxPool.class).isEmpty()) assertEquals(measured, computed, what);
			else assertTrue(measured <= computed && computed <= measured * 1.25, what);
			net.close();
		}
	}

	private static String describe(Module net) {
		StringBuilder s = new StringBuilder();
		for (Module m : net.children().values()) s.append(m.getClass().getSimpleName()).append(' ');
		return s.toString().trim();
	}
}
