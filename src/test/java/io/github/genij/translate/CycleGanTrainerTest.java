package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * CycleGAN's step against the reference's cycle_gan_model.py (src/test/python/cyclegan_check.py): the same four networks,
 * exported in the reference's layout and loaded there with strict=True, and the same images give the same generator
 * losses (LSGAN, cycle, identity) and discriminator losses, and the same gradient in every parameter.
 */
class CycleGanTrainerTest {

	@Test
	void oneStepsLossesAndGradientsAreTheReferences(@TempDir Path dir) throws Exception {
		PythonOracle.requireTorch();
		CycleGanTrainer.Settings s = new CycleGanTrainer.Settings();
		s.blocks = 2;
		s.ngf = 4;
		s.ndf = 4;
		s.cropSize = 32;
		CycleGanTrainer trainer = new CycleGanTrainer(s, dir.resolve("unused.safetensors"), null, Progress.NONE);
		Random r = new Random(3);
		float[] a = new float[3 * 32 * 32], b = new float[3 * 32 * 32];
		for (int i = 0; i < a.length; i++) {
			a[i] = (float) (r.nextDouble() * 2 - 1);
			b[i] = (float) Math.sin(i * 0.01);
		}
		Map<String, float[]> grads = new LinkedHashMap<>();
		float gTotal, dA, dB;
		try (NDManager m = GenIJEngine.get().newBaseManager(); ResnetGenerator gA = trainer.generator(3, 3); ResnetGenerator gB = trainer.generator(3, 3);
			PatchDiscriminator dNetA = trainer.discriminator(3); PatchDiscriminator dNetB = trainer.discriminator(3))
		{
			Module[] nets = { gA, gB, dNetA, dNetB };
			String[] names = { "G_A", "G_B", "D_A", "D_B" };
			for (int i = 0; i < 4; i++) {
				nets[i].initialise(10 + i, m);
				nets[i].train(true);
				TorchCheckpointWriter.write(dir.resolve(names[i] + ".pth"), nets[i].stateDict());
			}
			Map<String, WeightTensor> inputs = new LinkedHashMap<>();
			inputs.put("real_A", WeightTensor.ofFloats(a, new long[] { 1, 3, 32, 32 }));
			inputs.put("real_B", WeightTensor.ofFloats(b, new long[] { 1, 3, 32, 32 }));
			Safetensors.write(dir.resolve("inputs.safetensors"), inputs, Map.of());
			Map<String, NDArray>[] params = new Map[4];
			for (int i = 0; i < 4; i++) params[i] = nets[i].trainableArrays();
			NDArray realA = m.create(a, new Shape(1, 3, 32, 32)), realB = m.create(b, new Shape(1, 3, 32, 32));
			CycleGanTrainer.GeneratorPass p;
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				p = CycleGanTrainer.generatorPass(gA, gB, dNetA, dNetB, realA, realB, s.lambdaCycle, s.lambdaIdentity);
				gc.backward(p.total);
				gTotal = p.total.getFloat();
			}
			for (int i = 0; i < 2; i++) read(params[i], names[i], grads);
			zero(params[2]);
			zero(params[3]);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray lossA = CycleGanTrainer.discriminatorLoss(dNetA, realB, p.fakeB), lossB = CycleGanTrainer.discriminatorLoss(dNetB, realA, p.fakeA);
				gc.backward(lossA.add(lossB));
				dA = lossA.getFloat();
				dB = lossB.getFloat();
			}
			for (int i = 2; i < 4; i++) read(params[i], names[i], grads);
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("channels_a", 3);
		settings.put("channels_b", 3);
		settings.put("ngf", 4);
		settings.put("ndf", 4);
		settings.put("blocks", 2);
		settings.put("lambda_cycle", s.lambdaCycle);
		settings.put("lambda_identity", s.lambdaIdentity);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("cyclegan_check.py", dir);
		Map<String, WeightTensor> ref = Safetensors.read(dir.resolve("check.safetensors"));
		assertEquals(ref.get("g_total").toFloats()[0], gTotal, 1e-5 * Math.max(1, gTotal), "generators' total loss");
		assertEquals(ref.get("d_a").toFloats()[0], dA, 1e-5, "D_A's loss");
		assertEquals(ref.get("d_b").toFloats()[0], dB, 1e-5, "D_B's loss");
		// within 1e-4 of the largest gradient of its network (the biases before an instance norm have none in theory:
		// both sides hold rounding noise there)
		Map<String, Double> scale = new LinkedHashMap<>();
		for (Map.Entry<String, float[]> e : grads.entrySet())
			for (float v : ref.get("grad." + e.getKey()).toFloats()) scale.merge(e.getKey().substring(0, 3), (double) Math.abs(v), Math::max);
		int compared = 0;
		for (Map.Entry<String, float[]> e : grads.entrySet()) {
			float[] want = ref.get("grad." + e.getKey()).toFloats(), got = e.getValue();
			double tolerance = 1e-4 * scale.get(e.getKey().substring(0, 3));
			for (int i = 0; i < got.length; i++) assertEquals(want[i], got[i], tolerance, e.getKey() + " element " + i);
			compared++;
		}
		assertTrue(compared > 20, "compared " + compared + " parameters");
	}

	/** Four epochs in one run equal a run stopped in its second epoch and continued (networks, optimisers and pools saved). */
	@Test
	void aContinuedTrainingEqualsAnUninterruptedOne(@TempDir Path dir) {
		java.util.List<TrainingPair> a = new java.util.ArrayList<>(), b = new java.util.ArrayList<>();
		Random r = new Random(5);
		for (int k = 0; k < 3; k++) {
			float[] va = new float[32 * 32], vb = new float[32 * 32];
			for (int i = 0; i < va.length; i++) {
				va[i] = (float) Math.tanh(Math.sin(i * 0.1 + k) + 0.3 * r.nextGaussian());
				vb[i] = (float) Math.tanh(Math.cos(i * 0.05 - k) + 0.3 * r.nextGaussian());
			}
			a.add(new TrainingPair("a" + k, 32, 32, 1, va, 1, va));
			b.add(new TrainingPair("b" + k, 32, 32, 1, vb, 1, vb));
		}
		CycleGanTrainer.Settings s = new CycleGanTrainer.Settings();
		s.blocks = 1;
		s.ngf = 2;
		s.ndf = 2;
		s.cropSize = 32;
		s.channelsA = 1;
		s.channelsB = 1;
		s.poolSize = 2;
		s.epochs = 4;
		CycleGanTrainer.Result once, twice;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			once = new CycleGanTrainer(s, dir.resolve("once.safetensors"), null, Progress.NONE).train(a, b, m);
			// stopped in the middle of the second epoch (the learning-rate schedule follows the epoch count, which stays 4)
			int[] steps = { 0 };
			Progress stopping = new Progress() {
				@Override public void status(String message) {}
				@Override public void progress(long done, long total) { steps[0] = (int) done; }
				@Override public void log(String message) {}
				@Override public boolean isCancelled() { return steps[0] >= 5; }
			};
			org.junit.jupiter.api.Assertions.assertThrows(io.github.genij.core.progress.CancelledException.class,
				() -> new CycleGanTrainer(s, dir.resolve("twice.safetensors"), null, stopping).train(a, b, m));
			twice = new CycleGanTrainer(s, dir.resolve("twice.safetensors"), null, Progress.NONE).train(a, b, m);
		}
		for (String key : once.gA.keySet()) {
			float[] x = once.gA.get(key).toFloats(), y = twice.gA.get(key).toFloats();
			for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-6 * Math.max(1, Math.abs(x[i])), key + " element " + i);
		}
		assertEquals(4, once.history.size());
	}

	private static void read(Map<String, NDArray> params, String prefix, Map<String, float[]> out) {
		params.forEach((k, v) -> {
			try (NDArray g = v.getGradient()) {
				out.put(prefix + "." + k, g.toFloatArray());
			}
		});
	}

	private static void zero(Map<String, NDArray> params) {
		try (NoGrad ng = NoGrad.enter()) {
			for (NDArray v : params.values())
				try (NDArray g = v.getGradient()) {
					g.muli(0);
				}
		}
	}
}
