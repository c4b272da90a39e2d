package io.github.genij.stylegan;

import static io.github.genij.stylegan.StyleGanTrainerTest.assertGradients;
import static io.github.genij.stylegan.StyleGanTrainerTest.doubles;
import static io.github.genij.stylegan.StyleGanTrainerTest.f64;
import static io.github.genij.stylegan.StyleGanTrainerTest.perturbed;
import static io.github.genij.stylegan.StyleGanTrainerTest.random;
import static io.github.genij.stylegan.StyleGanTrainerTest.read;
import static io.github.genij.stylegan.StyleGanTrainerTest.zero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train ProGAN's recipe against pytorch_GAN_zoo's {@code optimizeParameters} (src/test/python/pgan_train_check.py):
 * networks GenIJ made, exported in the zoo's checkpoint layout and loaded there with strict=True, and the same draws
 * give the same D loss (WGAN-GP with drift) and G loss and every parameter gradient, PyTorch's double backward against
 * GenIJ's central differences, mid-transition at 8x8 (where the zoo's discriminator does not blend) and at 16x16; the
 * faded real batch and the alpha schedule are the zoo's; training resumes exactly and keeps memory flat.
 */
class ProGanTrainerTest {

	static ProGanTrainer.Settings tiny() {
		ProGanTrainer.Settings s = new ProGanTrainer.Settings();
		s.resolution = 16;
		s.channels = 3;
		s.latent = 8;
		s.depths = new int[] { 8, 7, 5 };
		s.batch = 8;
		s.lambdaGp = 7;
		s.epsilonD = 0.01;
		s.steps = 8;
		s.fade = 4;
		s.alphaEvery = 2;
		s.tick = 4;
		return s;
	}

	/** The two updates' values and gradients. */
	private static final class Phases {
		final Map<String, Double> values = new LinkedHashMap<>();
		final Map<String, Map<String, float[]>> grads = new LinkedHashMap<>();
	}

	private static Phases phases(ProGanTrainer trainer, ProGan g, ProGanDiscriminator d, int stage, double share, DataType type, double delta,
		Map<String, WeightTensor> inputs, NDManager m)
	{
		Phases out = new Phases();
		g.grownTo(4 << stage, 1 - share);
		d.previousShare(share);
		g.train(true);
		d.train(true);
		Map<String, NDArray> gp = g.trainableArrays(), dp = d.trainableArrays();
		int side = 4 << stage;
		NDArray real64 = random(m, 7, 8, 3, side, side), zD64 = random(m, 8, 8, 8).mul(1.5), zG64 = random(m, 9, 8, 8).mul(1.5);
		NDArray mix64 = random(m, 10, 8, 1, 1, 1).add(1).div(2);
		NDArray real = real64.toType(type, false), zD = zD64.toType(type, false), zG = zG64.toType(type, false), mix = mix64.toType(type, false);
		NDArray fake;
		try (NoGrad ng = NoGrad.enter()) {
			fake = ProGanTrainer.generate(g, zD);
		}
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			ProGanTrainer.Losses l = trainer.discriminatorLosses(d, real, fake, mix, delta, gc, () -> zero(dp));
			out.values.put("d", l.total);
			out.values.put("d.gp", l.gradientPenalty);
		}
		out.grads.put("d", read(dp));
		zero(dp);
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			NDArray loss = ProGanTrainer.generatorLoss(d, ProGanTrainer.generate(g, zG));
			gc.backward(loss);
			out.values.put("g", GradientPenalties.scalar(loss));
		}
		out.grads.put("g", read(gp));
		zero(gp);
		zero(dp);
		if (inputs != null) {
			inputs.put("real", f64(real64));
			inputs.put("raw", f64(real64));
			inputs.put("z_d", f64(zD64));
			inputs.put("z_g", f64(zG64));
			inputs.put("mix", f64(mix64.reshape(8)));
			try (NoGrad ng = NoGrad.enter()) {
				inputs.put("genij.faded", f64(ProGanTrainer.faded(real64, share)));
			}
		}
		return out;
	}

	@Test
	void lossesAndGradientsAreTheZoos8(@TempDir Path dir) throws Exception {
		check(dir, 1, 0.3);
	}

	@Test
	void lossesAndGradientsAreTheZoos16(@TempDir Path dir) throws Exception {
		check(dir, 2, 0.4);
	}

	private static void check(Path dir, int stage, double share) throws Exception {
		PythonOracle.requireTorch();
		ProGanTrainer.Settings s = tiny();
		ProGanTrainer trainer = new ProGanTrainer(s, dir.resolve("unused.safetensors"), null, Progress.NONE);
		ProGan.Shape0 shape = s.shape().upTo(stage);
		Map<String, WeightTensor> inputs = new LinkedHashMap<>();
		Map<String, WeightTensor> weightsG, weightsD;
		Phases single, exact;
		try (NDManager m = GenIJEngine.get().newBaseManager(); ProGan g = new ProGan(shape, 0.2f, false); ProGanDiscriminator d = new ProGanDiscriminator(shape, 0.2f)) {
			g.initialise(3, m);
			d.initialise(4, m);
			perturbed(g, 5, m);
			perturbed(d, 6, m);
			weightsG = g.stateDict();
			weightsD = d.stateDict();
			PganZooExport.write(dir.resolve("exported.pth"), shape, s, share, weightsG, weightsG, weightsD);
			single = phases(trainer, g, d, stage, share, DataType.FLOAT32, GradientPenalties.DELTA, null, m);
		}
		try (NDManager m = GenIJEngine.get().newBaseManager(); ProGan g = new ProGan(shape, 0.2f, false); ProGanDiscriminator d = new ProGanDiscriminator(shape, 0.2f)) {
			g.load(weightsG, m, "g");
			d.load(weightsD, m, "d");
			g.convertTo(DataType.FLOAT64);
			d.convertTo(DataType.FLOAT64);
			exact = phases(trainer, g, d, stage, share, DataType.FLOAT64, 1e-5, inputs, m);
		}
		Safetensors.write(dir.resolve("inputs.safetensors"), inputs, Map.of());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("latent", s.latent);
		settings.put("depth0", shape.depth0);
		settings.put("depths", shape.depths);
		settings.put("channels", 3);
		settings.put("alpha", share);
		settings.put("lambda_gp", s.lambdaGp);
		settings.put("epsilon_d", s.epsilonD);
		settings.put("jumps", 600);
		settings.put("jump_size", 32);
		settings.put("schedule_length", 20000);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("pgan_train_check.py", dir);
		Map<String, WeightTensor> ref = Safetensors.read(dir.resolve("check.safetensors"));

		for (String phase : new String[] { "d", "g" }) {
			double expected = doubles(ref.get(phase + ".value"))[0];
			assertEquals(expected, exact.values.get(phase), 1e-6 * Math.max(1, Math.abs(expected)), phase + " loss, float64");
			assertEquals(expected, single.values.get(phase), 1e-4 * Math.max(1, Math.abs(expected)), phase + " loss, float32");
			assertGradients(ref, phase, exact.grads.get(phase), 1e-5, "float64, ε 1e-5");
			assertGradients(ref, phase, single.grads.get(phase), 2e-3, "float32, as trained");
		}
		double gp = doubles(ref.get("d.gp"))[0];
		assertTrue(gp > 0.1, "the penalty is not negligible: " + gp);
		assertEquals(gp, exact.values.get("d.gp"), 1e-6 * Math.max(1, gp), "gradient penalty");

		double[] faded = doubles(ref.get("faded")), ours = doubles(inputs.get("genij.faded"));
		for (int i = 0; i < faded.length; i++) assertEquals(faded[i], ours[i], 1e-6, "faded real, element " + i);

		// the zoo's schedule for its own default (600 jumps of 32 iterations), iteration by iteration
		ProGanTrainer.Settings zoo = new ProGanTrainer.Settings();
		zoo.fade = 600 * 32;
		double[] schedule = doubles(ref.get("schedule"));
		for (int i = 0; i < schedule.length; i++) assertEquals(schedule[i], zoo.previousShare(1, i), 1e-6, "alpha at iteration " + i);
		assertEquals(0, zoo.previousShare(0, 0), "4x4 has no previous scale");
	}

	/**
	 * Training through all three scales, stopping mid-fade at 8x8 and going on, gives what one run gives: the tick
	 * losses within 1 % and every weight within 1e-2 (10 Adam steps). Not to the last bit, which is open: two
	 * uninterrupted runs agree exactly, but after a resume the last bits sometimes differ from run to run, and
	 * GAN training magnifies them (the penalty's difference quotient; Adam moves a weight whose gradient is near zero
	 * by about the learning rate whatever its sign): seen up to 9e-4 in a tick's loss and 1.2e-3 in a weight. A lost
	 * optimiser state or another draw moves them by more (checked: skipping the Adam restore fails here).
	 */
	@Test
	void aContinuedTrainingEqualsAnUninterruptedOne(@TempDir Path dir) {
		List<int[]> images = StyleGanTrainerTest.images(12, 16, 3);
		ProGanTrainer.Settings s = tiny();
		ProGanTrainer.Result once, twice;
		GenIJEngine.get(); // loads libtorch
		int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
		ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			once = new ProGanTrainer(s, dir.resolve("once.safetensors"), null, Progress.NONE).train(images, m);
			Progress stopMidFade = new Progress() {
				int steps;

				@Override public void status(String message) {}
				@Override public void progress(long done, long total) {
					steps++;
				}
				@Override public void log(String message) {}
				@Override public boolean isCancelled() {
					return steps == 10;
				}
			};
			try {
				new ProGanTrainer(s, dir.resolve("twice.safetensors"), null, stopMidFade).train(images, m);
				throw new AssertionError("not stopped");
			}
			catch (io.github.genij.core.progress.CancelledException expected) {
				// saved at 8x8, step 3
			}
			assertEquals("8x8, step 3", ProGanTrainer.describe(dir.resolve("twice.safetensors")));
			twice = new ProGanTrainer(s, dir.resolve("twice.safetensors"), null, Progress.NONE).train(images, m);
		}
		finally {
			ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
		}
		assertEquals(6, once.history.size(), "two ticks per scale");
		assertEquals(s.shape().depths.length, ProGan.Shape0.of(8, 8, 3, new int[] { 7, 5 }).depths.length);
		for (int k = 0; k < 6; k++) {
			assertEquals(once.history.get(k).dLoss, twice.history.get(k).dLoss, 1e-2 * Math.max(1, Math.abs(once.history.get(k).dLoss)), "tick " + k + " D loss");
			assertEquals(once.history.get(k).gLoss, twice.history.get(k).gLoss, 1e-2 * Math.max(1, Math.abs(once.history.get(k).gLoss)), "tick " + k + " G loss");
		}
		double steps = 10 * s.lr;
		assertSame(once.generator, twice.generator, steps, "generator");
		assertSame(once.discriminator, twice.discriminator, steps, "discriminator");
		assertSame(once.average, twice.average, steps, "average");
		assertTrue(once.average.containsKey("scaleLayers.1.1.module.weight") && once.discriminator.containsKey("fromRGBLayers.2.module.weight"),
			"grown to 16x16");

	}

	/** Every weight within {@code tolerance} (absolute). */
	private static void assertSame(Map<String, WeightTensor> a, Map<String, WeightTensor> b, double tolerance, String what) {
		assertEquals(a.keySet(), b.keySet(), what + ": keys");
		for (String key : a.keySet()) {
			float[] x = a.get(key).toFloats(), y = b.get(key).toFloats();
			for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], tolerance, what + " " + key + " element " + i);
		}
	}

	/** Native memory stays flat: as many arrays alive at the end of the last scale's steps 4 and 8, none left behind. */
	@Test
	void trainingKeepsAFixedNumberOfArrays(@TempDir Path dir) {
		List<int[]> images = StyleGanTrainerTest.images(12, 8, 4);
		ProGanTrainer.Settings s = tiny();
		s.resolution = 8;
		s.depths = new int[] { 8, 6 };
		s.steps = 12;
		int[] live = new int[12];
		int before, after;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			before = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
			ProGanTrainer.Listener count = new ProGanTrainer.Listener() {
				@Override
				public void step(int stage, int step, int steps, double dLoss, double gLoss) {
					if (stage == 1) live[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}
			};
			new ProGanTrainer(s, dir.resolve("flat.safetensors"), count, Progress.NONE).train(images, m);
			after = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
		}
		assertTrue(live[5] > 0, "counted");
		assertEquals(live[5], live[11], "arrays alive after steps 6 and 12 of 8x8");
		assertEquals(before, after, "nothing left behind");
	}
}
