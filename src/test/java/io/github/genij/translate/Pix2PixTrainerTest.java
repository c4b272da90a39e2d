package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;

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

	@Test
	void trainingBeatsTheIdentityAndTheMean() {
		List<TrainingPair> train = SyntheticPairs.make(40, 32, 1), held = SyntheticPairs.make(10, 32, 2);
		long t0 = System.nanoTime();
		Pix2PixTrainer.Result r;
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			r = new Pix2PixTrainer(small(8), dir.resolve("ckpt.safetensors"), null, Progress.NONE).train(train, held, m);
		}
		System.out.println("took " + (System.nanoTime() - t0) / 1e9 + " s");
		for (Pix2PixTrainer.EpochReport e : r.history)
			System.out.println(e.epoch + " " + e.meanL1 + " " + e.meanGan + " " + e.meanDiscriminator + " " + e.validationL1);
		double identity = 0, mean = 0;
		float[] meanB = new float[32 * 32];
		for (TrainingPair p : train) for (int i = 0; i < meanB.length; i++) meanB[i] += p.b[i] / train.size();
		for (TrainingPair p : held) {
			for (int i = 0; i < meanB.length; i++) {
				identity += Math.abs(p.a[i] - p.b[i]) / meanB.length / held.size();
				mean += Math.abs(meanB[i] - p.b[i]) / meanB.length / held.size();
			}
		}
		System.out.println("identity " + identity + " mean " + mean);
		double last = r.history.get(r.history.size() - 1).validationL1;
		assertTrue(last < identity && last < mean);
	}
}
