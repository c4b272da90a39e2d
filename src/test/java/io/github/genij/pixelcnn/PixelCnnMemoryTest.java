package io.github.genij.pixelcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;

/**
 * Native memory stays flat over long runs: the arrays alive while sampling row by row are the same at the same
 * place of rows 4 and 12 (what the rows above leave is replaced, not piled up), and the same at training steps 3
 * and 11.
 */
class PixelCnnMemoryTest {

	@Test
	void rowByRowSamplingKeepsAFixedNumberOfArrays() {
		int[] live = new int[16 * 16 + 1];
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter(); PixelCnnPP net = new PixelCnnPP(1, 1, 4, 2)) {
			net.initialise(3, m);
			net.train(false);
			Progress count = counting(m, live);
			new PixelSampler(net, DataType.FLOAT32).draw(new Canvas(2, 1, 16, 16), null, 1, 1, m, count);
		}
		int atRow4 = live[4 * 16 + 5], atRow12 = live[12 * 16 + 5];
		assertTrue(atRow4 > 0, "counted");
		assertEquals(atRow4, atRow12, "arrays alive at pixel 5 of rows 4 and 12");
	}

	/**
	 * The Grayscale and Pyramid PixelCNNs: row-by-row sampling keeps a fixed number of arrays (the last stage, the
	 * image given its auxiliary image) and leaves none behind (the conditioning features included) once the first
	 * passes have prepared what stays with the weights.
	 */
	@Test
	void auxiliaryVariableSamplingKeepsAFixedNumberOfArrays() {
		for (String variant : new String[] { PixelCnnFamily.GRAYSCALE, PixelCnnFamily.PYRAMID }) {
			PixelCnnTrainer.Settings s = PixelCnnTrainerTest.settings(1);
			s.variant = variant;
			s.filters = 4;
			s.conditionalBlocks = 2;
			s.conditioningBlocks = 1;
			s.pyramidLevels = 2;
			int[] live = new int[16 * 16 + 1];
			int before, after;
			try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter(); PixelModel net = PixelCnnFamily.buildModel(variant,
				s.parameters(), false))
			{
				net.initialise(3, m);
				net.train(false);
				Progress count = counting(m, live);
				net.draw(new Canvas(1, 1, 4, 4), null, 1, 1, m, Progress.NONE); // first passes prepare what the weights keep (up-sampling kernels)
				before = ((BaseNDManager) m).getManagedArrays().size();
				net.draw(new Canvas(2, 1, 16, 16), null, 1, 1, m, count);
				after = ((BaseNDManager) m).getManagedArrays().size();
			}
			int atRow4 = live[4 * 16 + 5], atRow12 = live[12 * 16 + 5];
			assertTrue(atRow4 > 0, "counted");
			assertEquals(atRow4, atRow12, variant + ": arrays alive at pixel 5 of rows 4 and 12");
			assertEquals(before, after, variant + ": nothing left behind");
		}
	}

	/** Progress that notes, at each drawn pixel, how many arrays the manager holds. */
	private static Progress counting(NDManager m, int[] live) {
		return new Progress() {
			@Override
			public void status(String message) {}

			@Override
			public void progress(long done, long total) {
				live[(int) done] = ((BaseNDManager) m).getManagedArrays().size();
			}

			@Override
			public void log(String message) {}

			@Override
			public boolean isCancelled() {
				return false;
			}
		};
	}

	/** A long stack's likelihood, batch after batch (and a large image's, row by row), leaves nothing behind. */
	@Test
	void likelihoodOverManySlicesKeepsAFixedNumberOfArrays() {
		List<int[]> images = PixelCnnTrainerTest.images(8, 8, 6);
		int[] live = new int[12];
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter(); PixelCnnPP net = new PixelCnnPP(1, 1, 4, 2)) {
			net.initialise(3, m);
			net.train(false);
			long limit = Likelihood.WHOLE_IMAGE_BYTES;
			try {
				for (int i = 0; i < live.length; i++) {
					if (i == 6) Likelihood.WHOLE_IMAGE_BYTES = 0; // the second half row by row
					Likelihood.of(net, images, 8, 8, m, Progress.NONE);
					live[i] = ((BaseNDManager) m).getManagedArrays().size();
				}
			}
			finally {
				Likelihood.WHOLE_IMAGE_BYTES = limit;
			}
		}
		assertEquals(live[1], live[5], "arrays alive after batches 2 and 6");
		assertEquals(live[7], live[11], "arrays alive after row-by-row passes 2 and 6");
	}

	@Test
	void trainingKeepsAFixedNumberOfArrays(@TempDir Path dir) {
		List<int[]> images = PixelCnnTrainerTest.images(48, 8, 5);
		int[] live = new int[12];
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			PixelCnnTrainer.Listener count = new PixelCnnTrainer.Listener() {
				@Override
				public void step(int epoch, int step, int steps, double bitsPerDim) {
					live[step] = ((BaseNDManager) m).getManagedArrays().size();
				}
			};
			new PixelCnnTrainer(PixelCnnTrainerTest.settings(1), dir.resolve("flat.safetensors"), count, Progress.NONE).train(images, List.of(), m);
		}
		assertTrue(live[3] > 0, "counted");
		assertEquals(live[3], live[11], "arrays alive at steps 3 and 11");
	}
}
