package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;

/**
 * Train StyleGAN2's recipe against rosinality's {@code train.py} (src/test/python/stylegan_train_check.py): the same
 * weights, exported in rosinality's layout and loaded there with strict=True, and the same random draws give the same
 * losses and parameter gradients in all four phases (logistic D loss, R1, non-saturating G loss, path-length penalty),
 * PyTorch's double backward against GenIJ's central differences; training resumes exactly.
 */
class StyleGanTrainerTest {

	static StyleGanTrainer.Settings tiny() {
		StyleGanTrainer.Settings s = new StyleGanTrainer.Settings();
		s.resolution = 16;
		s.channels = 3;
		s.latent = 8;
		s.mappingLayers = 2;
		s.channelBase = 128;
		s.channelMax = 16;
		s.batch = 8;
		return s;
	}

	/** What the four phases computed: each value and each parameter's gradient. */
	private static final class Phases {
		final Map<String, Double> values = new LinkedHashMap<>();
		final Map<String, Map<String, float[]>> grads = new LinkedHashMap<>();
	}

	private static final double R1_WEIGHT = 0.7, PL_WEIGHT = 1.3, DECAY = 0.01, MEAN_PATH = 0.05;

	/**
	 * The four phases on {@code g} and {@code d} (their weights in {@code type}), on the draws {@link #draws} names; the
	 * draws are written to {@code inputs} when it is not null.
	 */
	private static Phases phases(StyleGan2 g, Discriminator d, DataType type, double delta, Map<String, WeightTensor> inputs, NDManager m) {
		Phases out = new Phases();
		g.train(true);
		d.train(true);
		Map<String, NDArray> gp = g.trainableArrays(), dp = d.trainableArrays();
		Runnable zeroG = () -> zero(gp), zeroD = () -> zero(dp);
		NDArray real64 = random(m, 7, 8, 3, 16, 16), real = real64.toType(type, false);
		StyleGanTrainer.BatchLatents dl = latents(g, 8, 8, 3, 11), gl = latents(g, 12, 8, 5, 13), pl = latents(g, 14, 4, 2, 15);
		NDArray y64 = random(m, 16, 4, 3, 16, 16).div(16.0), y = y64.toType(type, false);

		NDArray fake;
		try (NoGrad ng = NoGrad.enter()) {
			fake = g.synthesise(dl.ws(g, m, type), dl.noise);
		}
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			NDArray loss = StyleGanTrainer.discriminatorLoss(d, real, fake);
			gc.backward(loss);
			out.values.put("d", GradientPenalties.scalar(loss));
		}
		out.grads.put("d", read(dp));
		zeroD.run();

		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			out.values.put("r1", GradientPenalties.r1(d, real, R1_WEIGHT, delta, gc, zeroD));
		}
		out.grads.put("r1", read(dp));
		zeroD.run();

		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			NDArray loss = StyleGanTrainer.generatorLoss(d, g.synthesise(gl.ws(g, m, type), gl.noise));
			gc.backward(loss);
			out.values.put("g", GradientPenalties.scalar(loss));
		}
		out.grads.put("g", read(gp));
		zeroG.run();
		zeroD.run();

		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			GradientPenalties.PathLengths p = GradientPenalties.pathLength(g, pl.ws(g, m, type), pl.noise, y, MEAN_PATH, DECAY, PL_WEIGHT, delta, gc,
				zeroG);
			out.values.put("pl", p.penalty);
			out.values.put("pl.mean", p.meanPathLength);
		}
		out.grads.put("pl", read(gp));
		zeroG.run();
		if (inputs != null) {
			inputs.put("real", f64(real64));
			put(inputs, "d", dl);
			put(inputs, "g", gl);
			put(inputs, "pl", pl);
			inputs.put("pl.y", f64(y64));
			inputs.put("pl.mean", f64(m.create(new double[] { MEAN_PATH })));
		}
		return out;
	}

	@Test
	void lossesAndGradientsAreRosinalitys(@TempDir Path dir) throws Exception {
		PythonOracle.requireTorch();
		StyleGanTrainer.Settings s = tiny();
		StyleGanTrainer trainer = new StyleGanTrainer(s, dir.resolve("unused.safetensors"), null, Progress.NONE);
		Map<String, WeightTensor> inputs = new LinkedHashMap<>();
		float[] z = new float[2 * s.latent];
		for (int i = 0; i < z.length; i++) z[i] = (float) Math.sin(i + 1.0);
		Phases single, exact;
		Map<String, WeightTensor> weightsG, weightsD;
		try (NDManager m = GenIJEngine.get().newBaseManager(); StyleGan2 g = new StyleGan2(s.arch()); Discriminator d = trainer.discriminator()) {
			g.initialise(3, m);
			d.initialise(4, m);
			perturbed(g, 5, m);
			perturbed(d, 6, m);
			weightsG = g.stateDict();
			weightsD = d.stateDict();
			RosinalityExport.write(dir.resolve("exported.pt"), weightsG, weightsG, weightsD);
			// as training runs: float32, steps of rms 1e-3
			single = phases(g, d, DataType.FLOAT32, GradientPenalties.DELTA, null, m);
		}
		try (NDManager m = GenIJEngine.get().newBaseManager(); StyleGan2 g = new StyleGan2(s.arch()); Discriminator d = trainer.discriminator()) {
			g.load(weightsG, m, "g");
			d.load(weightsD, m, "d");
			// float64 throughout, as the oracle: the differences then measure the method alone
			g.convertTo(DataType.FLOAT64);
			d.convertTo(DataType.FLOAT64);
			exact = phases(g, d, DataType.FLOAT64, 1e-5, inputs, m);
		}
		inputs.put("ema.z", WeightTensor.ofFloats(z, new long[] { 2, s.latent }));
		Safetensors.write(dir.resolve("inputs.safetensors"), inputs, Map.of());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("size", 16);
		settings.put("latent", s.latent);
		settings.put("n_mlp", s.mappingLayers);
		Map<String, Integer> ch = new LinkedHashMap<>();
		for (int r = 4; r <= 16; r *= 2) ch.put(String.valueOf(r), s.arch().channels(r));
		settings.put("channels", ch);
		settings.put("r1_weight", R1_WEIGHT);
		settings.put("pl_weight", PL_WEIGHT);
		settings.put("decay", DECAY);
		Files.writeString(dir.resolve("settings.json"), new Gson().toJson(settings));
		PythonOracle.run("stylegan_train_check.py", dir);
		Map<String, WeightTensor> ref = Safetensors.read(dir.resolve("check.safetensors"));

		for (String phase : new String[] { "d", "r1", "g", "pl" }) {
			double expected = doubles(ref.get(phase + ".value"))[0];
			assertEquals(expected, exact.values.get(phase), 1e-6 * Math.max(1, Math.abs(expected)), phase + " value, float64");
			assertEquals(expected, single.values.get(phase), 1e-4 * Math.max(1, Math.abs(expected)), phase + " value, float32");
			assertGradients(ref, phase, exact.grads.get(phase), 1e-5, "float64, ε 1e-5");
			assertGradients(ref, phase, single.grads.get(phase), 2e-3, "float32, as trained");
		}
		assertEquals(doubles(ref.get("pl.mean"))[0], exact.values.get("pl.mean"), 1e-9, "the running mean path length");

		// the exported g_ema gives GenIJ's image (constant noise)
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad ng = NoGrad.enter();
			StyleGan2 g = Module.loaded(new StyleGan2(s.arch()), weightsG, m, "g"))
		{
			float[] want = ref.get("ema.image").toFloats();
			for (int k = 0; k < 2; k++) {
				double[] zk = new double[s.latent];
				for (int i = 0; i < s.latent; i++) zk[i] = z[k * s.latent + i];
				float[] got = g.synthesise(g.ws(g.w(zk, 0, m), 1, null), Noise.of("const", 0)).toFloatArray();
				int n = got.length;
				for (int i = 0; i < n; i++) assertEquals(want[k * n + i], got[i], 1e-4, "g_ema image " + k + " element " + i);
			}
		}
	}

	/** Every gradient within {@code tolerance} of the phase's largest. */
	static void assertGradients(Map<String, WeightTensor> ref, String phase, Map<String, float[]> ours, double tolerance, String how) {
		double scale = 0;
		int compared = 0;
		for (Map.Entry<String, float[]> e : ours.entrySet())
			for (double v : doubles(ref.get(phase + ".grad." + e.getKey()))) scale = Math.max(scale, Math.abs(v));
		assertTrue(scale > 0, phase + ": the reference's gradients are not all zero");
		for (Map.Entry<String, float[]> e : ours.entrySet()) {
			double[] want = doubles(ref.get(phase + ".grad." + e.getKey()));
			float[] got = e.getValue();
			assertEquals(want.length, got.length, phase + " " + e.getKey() + ": size");
			for (int i = 0; i < got.length; i++)
				assertEquals(want[i], got[i], tolerance * scale, phase + " gradient of " + e.getKey() + " element " + i + " (" + how + ")");
			compared++;
		}
		assertTrue(compared > 10, phase + ": compared " + compared + " parameters");
	}

	/** Training 2 steps, stopping, and 2 more gives what 4 steps in one go give. */
	@Test
	void aContinuedTrainingEqualsAnUninterruptedOne(@TempDir Path dir) {
		List<int[]> images = images(12, 16, 3);
		StyleGanTrainer.Settings s = tiny();
		s.tick = 2;
		s.dRegEvery = 2;
		s.gRegEvery = 2;
		s.steps = 4;
		StyleGanTrainer.Result once, twice;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			once = new StyleGanTrainer(s, dir.resolve("once.safetensors"), null, Progress.NONE).train(images, m);
			s.steps = 2;
			new StyleGanTrainer(s, dir.resolve("twice.safetensors"), null, Progress.NONE).train(images, m);
			s.steps = 4;
			twice = new StyleGanTrainer(s, dir.resolve("twice.safetensors"), null, Progress.NONE).train(images, m);
		}
		assertEquals(2, once.history.size());
		for (String key : once.ema.keySet()) {
			float[] a = once.ema.get(key).toFloats(), b = twice.ema.get(key).toFloats();
			for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * Math.max(1, Math.abs(a[i])), key + " element " + i);
		}
		for (int k = 0; k < 2; k++) assertEquals(once.history.get(k).dLoss, twice.history.get(k).dLoss, 1e-6, "tick " + k + " D loss");
		assertTrue(once.history.get(1).pathLength > 0, "the mean path length is tracked");
	}

	/** Native memory stays flat: the arrays alive after steps 4 and 12 (both with R1 and path-length steps) are as many, none are left. */
	@Test
	void trainingKeepsAFixedNumberOfArrays(@TempDir Path dir) {
		List<int[]> images = images(12, 16, 4);
		StyleGanTrainer.Settings s = tiny();
		s.dRegEvery = 4;
		s.gRegEvery = 4;
		s.steps = 13;
		s.tick = 5;
		int[] live = new int[13];
		int before, after;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			before = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
			StyleGanTrainer.Listener count = new StyleGanTrainer.Listener() {
				@Override
				public void step(int step, int steps, double dLoss, double gLoss) {
					live[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
				}
			};
			new StyleGanTrainer(s, dir.resolve("flat.safetensors"), count, Progress.NONE).train(images, m);
			after = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
		}
		assertTrue(live[4] > 0, "counted");
		assertEquals(live[4], live[12], "arrays alive after steps 4 and 12");
		assertEquals(before, after, "nothing left behind");
	}

	static List<int[]> images(int n, int side, long seed) {
		Random r = new Random(seed);
		List<int[]> out = new ArrayList<>();
		for (int k = 0; k < n; k++) {
			int[] v = new int[3 * side * side];
			for (int i = 0; i < v.length; i++) v[i] = r.nextInt(256);
			out.add(v);
		}
		return out;
	}

	private static StyleGanTrainer.BatchLatents latents(StyleGan2 g, long seed, int n, int cutoff, long noiseSeed) {
		NumpyRandom r = new NumpyRandom(seed);
		float[] z1 = new float[n * g.arch.zDim], z2 = new float[n * g.arch.zDim];
		for (int i = 0; i < z1.length; i++) z1[i] = (float) r.nextGaussian();
		for (int i = 0; i < z2.length; i++) z2[i] = (float) r.nextGaussian();
		return new StyleGanTrainer.BatchLatents(z1, z2, n, cutoff, Noise.perSample(new NumpyRandom(noiseSeed)));
	}

	private static void put(Map<String, WeightTensor> inputs, String prefix, StyleGanTrainer.BatchLatents l) {
		inputs.put(prefix + ".z1", WeightTensor.ofFloats(l.z1, new long[] { l.n, l.z1.length / l.n }));
		inputs.put(prefix + ".z2", WeightTensor.ofFloats(l.z2, new long[] { l.n, l.z2.length / l.n }));
		inputs.put(prefix + ".cutoff", WeightTensor.ofFloats(new float[] { l.cutoff }, new long[] { 1 }));
		List<float[]> maps = l.noise.maps();
		for (int i = 0; i < maps.size(); i++) {
			long side = Math.round(Math.sqrt(maps.get(i).length / (double) l.n));
			inputs.put(prefix + ".noise." + i, WeightTensor.ofFloats(maps.get(i), new long[] { l.n, 1, side, side }));
		}
	}

	/** float64 values, uniform in -1..1. */
	static NDArray random(NDManager m, long seed, long... shape) {
		Random r = new Random(seed);
		double[] v = new double[(int) new Shape(shape).size()];
		for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() * 2 - 1;
		return m.create(v, new Shape(shape));
	}

	/** Random biases and noise strengths (they start at zero, which would hide mistakes in their paths). */
	static void perturbed(Module net, long seed, NDManager m) {
		Random r = new Random(seed);
		Map<String, WeightTensor> sd = new LinkedHashMap<>(net.stateDict());
		sd.replaceAll((k, v) -> {
			if (!(k.endsWith("bias") || k.endsWith("noise_strength"))) return v;
			float[] f = v.toFloats();
			for (int i = 0; i < f.length; i++) f[i] += (float) (0.2 * r.nextGaussian());
			return WeightTensor.ofFloats(f, v.shape());
		});
		net.load(sd, m, "perturbed");
	}

	static WeightTensor f64(NDArray a) {
		java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * (int) a.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.asDoubleBuffer().put(a.toDoubleArray());
		return new WeightTensor(io.github.genij.core.weights.DType.F64, a.getShape().getShape(), b.array());
	}

	static double[] doubles(WeightTensor t) {
		float[] f = t.toFloats();
		double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}

	static Map<String, float[]> read(Map<String, NDArray> params) {
		Map<String, float[]> out = new LinkedHashMap<>();
		params.forEach((k, p) -> {
			try (NDArray gr = p.getGradient()) {
				out.put(k, gr.toType(DataType.FLOAT32, true).toFloatArray());
			}
		});
		return out;
	}

	static void zero(Map<String, NDArray> params) {
		try (NoGrad ng = NoGrad.enter()) {
			for (NDArray p : params.values()) {
				try (NDArray gr = p.getGradient()) {
					gr.muli(0);
				}
			}
		}
	}
}
