package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;

/** Training pix2pix: it learns, it resumes exactly, its schedule and jitter are the reference's. */
class Pix2PixTrainerTest {

	@TempDir
	Path dir;

	static Pix2PixTrainer.Settings small(int epochs) {
		Pix2PixTrainer.Settings s = new Pix2PixTrainer.Settings();
		s.numDowns = 5;
		s.ngf = 8;
		s.ndf = 8;
		s.channelsA = 1;
		s.channelsB = 1;
		s.cropSize = 32;
		s.epochs = epochs;
		s.seed = 3;
		return s;
	}

	/** A checkpoint continues only with the images it was made with. */
	@Test
	void aCheckpointContinuesOnlyWithItsOwnImages() {
		List<TrainingPair> train = SyntheticPairs.make(6, 32, 1), other = SyntheticPairs.make(6, 32, 2);
		Path ckpt = dir.resolve("resume.safetensors");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			new Pix2PixTrainer(small(1), ckpt, null, Progress.NONE).train(train, List.of(), m);
			GenIJException e = assertThrows(GenIJException.class,
				() -> new Pix2PixTrainer(small(2), ckpt, null, Progress.NONE).train(other, List.of(), m));
			assertTrue(e.getMessage().contains("was made with other images"), e.getMessage());
			List<TrainingPair> swapped = new java.util.ArrayList<>(train);
			swapped.replaceAll(TrainingPair::swapped);
			assertThrows(GenIJException.class, () -> new Pix2PixTrainer(small(2), ckpt, null, Progress.NONE).train(swapped, List.of(), m));
			new Pix2PixTrainer(small(2), ckpt, null, Progress.NONE).train(train, List.of(), m); // the same: continues
		}
	}

	/** Long training runs keep native memory flat: the arrays alive are the same at step 5 and at step 35. */
	@Test
	void liveArraysStayFlatOverSteps() {
		List<TrainingPair> train = SyntheticPairs.make(40, 32, 1);
		int[] live = new int[40];
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			Pix2PixTrainer.Listener count = new Pix2PixTrainer.Listener() {
				@Override
				public void step(int epoch, int step, int steps, Pix2PixTrainer.StepLosses losses) {
					live[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}
			};
			new Pix2PixTrainer(small(1), dir.resolve("flat.safetensors"), count, Progress.NONE).train(train, List.of(), m);
		}
		assertTrue(live[5] > 0, "counted");
		assertEquals(live[5], live[35], "arrays alive at step 5 and at step 35");
	}

	@Test
	void trainingBeatsTheIdentityAndTheMean() {
		List<TrainingPair> train = SyntheticPairs.make(40, 32, 1), held = SyntheticPairs.make(10, 32, 2);
		Pix2PixTrainer.Result r;
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			r = new Pix2PixTrainer(small(8), dir.resolve("ckpt.safetensors"), null, Progress.NONE).train(train, held, m);
		}
		double identity = 0, mean = 0;
		float[] meanB = new float[32 * 32];
		for (TrainingPair p : train) for (int i = 0; i < meanB.length; i++) meanB[i] += p.b[i] / train.size();
		for (TrainingPair p : held) {
			for (int i = 0; i < meanB.length; i++) {
				identity += Math.abs(p.a[i] - p.b[i]) / meanB.length / held.size();
				mean += Math.abs(meanB[i] - p.b[i]) / meanB.length / held.size();
			}
		}
		double first = r.history.get(0).validationL1, last = r.history.get(r.history.size() - 1).validationL1;
		assertTrue(last < first, "validation L1 fell: " + first + " -> " + last);
		// measured: identity 0.54, mean 0.18, trained 0.08
		assertTrue(last < 0.75 * mean && last < identity, "held-out L1 " + last + " vs mean " + mean + ", identity " + identity);
	}

	/** Cancels at the n-th check. */
	private static Progress cancelAfter(int checks) {
		int[] count = { 0 };
		return new Progress() {
			@Override public void status(String message) {}
			@Override public void progress(long done, long total) {}
			@Override public void log(String message) {}
			@Override public boolean isCancelled() { return ++count[0] > checks; }
		};
	}

	@Test
	void aCancelledRunContinuesExactlyWhereItStopped() {
		List<TrainingPair> train = SyntheticPairs.make(6, 32, 4);
		Pix2PixTrainer.Result whole, resumed;
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			whole = new Pix2PixTrainer(small(2), dir.resolve("a.safetensors"), null, Progress.NONE).train(train, null, m);
			Path ckpt = dir.resolve("b.safetensors");
			assertThrows(CancelledException.class, () -> new Pix2PixTrainer(small(2), ckpt, null, cancelAfter(8)).train(train, null, m));
			assertEquals("epoch 2 of 2, step 3", Pix2PixTrainer.describe(ckpt));
			Pix2PixTrainer.Settings other = small(2);
			other.ngf = 4;
			GenIJException e = assertThrows(GenIJException.class, () -> new Pix2PixTrainer(other, ckpt, null, Progress.NONE)
				.train(train, null, m));
			assertTrue(e.getMessage().contains("other settings") && e.getMessage().contains("restart=true"), e.getMessage());
			resumed = new Pix2PixTrainer(small(2), ckpt, null, Progress.NONE).train(train, null, m);
		}
		assertEquals(2, resumed.history.size());
		for (String k : whole.generator.keySet())
			assertArrayEquals(whole.generator.get(k).toFloats(), resumed.generator.get(k).toFloats(), 1e-6f, k);
		for (String k : whole.discriminator.keySet())
			assertArrayEquals(whole.discriminator.get(k).toFloats(), resumed.discriminator.get(k).toFloats(), 1e-6f, k);
	}

	@Test
	void theLearningRateIsConstantForHalfTheEpochsThenFallsLinearly() {
		// the reference's 'linear' policy with n_epochs = n_epochs_decay = 100
		assertEquals(1f, Pix2PixTrainer.learningRateFactor(0, 200));
		assertEquals(1f, Pix2PixTrainer.learningRateFactor(99, 200));
		assertEquals(1f - 1f / 101, Pix2PixTrainer.learningRateFactor(100, 200), 1e-7);
		assertEquals(1f / 101, Pix2PixTrainer.learningRateFactor(199, 200), 1e-7);
		assertEquals(1f, Pix2PixTrainer.learningRateFactor(0, 1));
	}

	@Test
	void jitterTreatsAAndBAlikeAndKeepsLargeImagesAtTheirResolution() {
		int w = 300, h = 200;
		float[] a = new float[w * h], b = new float[2 * w * h];
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
			a[y * w + x] = x * 1000 + y;
			b[y * w + x] = x * 1000 + y;
			b[w * h + y * w + x] = -(x * 1000 + y);
		}
		TrainingPair p = new TrainingPair("ramp", w, h, 1, a, 2, b);
		Jitter j = new Jitter(64);
		assertEquals(72, j.loadSize);
		java.util.Random r = new java.util.Random(1);
		boolean sawFlip = false, sawPlain = false;
		for (int k = 0; k < 50; k++) {
			float[][] ab = j.sample(p, r);
			assertEquals(64 * 64, ab[0].length);
			for (int i = 0; i < 64 * 64; i++) {
				assertEquals(ab[0][i], ab[1][i], 1e-3);
				assertEquals(-ab[0][i], ab[1][64 * 64 + i], 1e-3);
			}
			// neighbouring columns one source pixel apart: no scaling, only a window and maybe a mirror
			float step = ab[0][1] - ab[0][0];
			assertEquals(1000, Math.abs(step), 1e-2);
			assertEquals(1, ab[0][64] - ab[0][0], 1e-3);
			if (step < 0) sawFlip = true;
			else sawPlain = true;
		}
		assertTrue(sawFlip && sawPlain);
	}
}
