package io.github.genij.translate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.WeightTensor;

/** Entry point for bench/: a generator's forward pass as the Translate command runs it (running statistics). */
public final class TranslateBenchmarks {

	private TranslateBenchmarks() {}

	/** A loaded generator. */
	public static final class Forward implements AutoCloseable {
		private final Generator gen;

		Forward(Generator gen) {
			this.gen = gen;
		}

		public NDArray apply(NDArray x) {
			return Scoped.apply(x, gen::forward);
		}

		@Override
		public void close() {
			gen.close();
		}
	}

	/** A freshly initialised reference U-Net (batch norm) as a state dict, made without PyTorch. */
	public static Map<String, WeightTensor> randomUnet(int channels, int numDowns, int ngf, long seed, NDManager m) {
		try (UnetGenerator net = Generator.referenceInit(new UnetGenerator(channels, channels, numDowns, ngf, true, true))) {
			net.initialise(seed, m);
			return net.stateDict();
		}
	}

	/**
	 * Median wall time (ms) of one pix2pix training step (generator and PatchGAN forward and backward, both
	 * Adam updates, the jitter of the pair), batch 1, {@code size}² RGB pairs of smooth random values,
	 * over {@code steps} steps after {@code warmup}; the trainer's checkpoint goes into {@code folder}.
	 */
	public static double trainingStepMs(int numDowns, int ngf, int size, int warmup, int steps, Path folder, NDManager m)
		throws IOException
	{
		Random r = new Random(5);
		List<TrainingPair> pairs = new ArrayList<>();
		for (int i = 0; i < warmup + steps + 1; i++) {
			float[] a = new float[3 * size * size], b = new float[3 * size * size];
			double fa = 0.02 + 0.1 * r.nextDouble(), fb = 0.02 + 0.1 * r.nextDouble();
			for (int k = 0; k < a.length; k++) {
				a[k] = (float) Math.sin(k % size * fa + k / size * fb);
				b[k] = (float) Math.cos(k % size * fb - k / size * fa);
			}
			pairs.add(new TrainingPair("pair" + i, size, size, 3, a, 3, b));
		}
		Pix2PixTrainer.Settings s = new Pix2PixTrainer.Settings();
		s.numDowns = numDowns;
		s.ngf = ngf;
		s.ndf = 64;
		s.cropSize = size;
		s.epochs = 1;
		long[] started = new long[pairs.size() + 1];
		Path checkpoint = folder.resolve("training-bench.safetensors");
		Files.deleteIfExists(checkpoint);
		Pix2PixTrainer.Listener timer = new Pix2PixTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int total, Pix2PixTrainer.StepLosses losses) {
				started[step + 1] = System.nanoTime();
			}
		};
		new Pix2PixTrainer(s, checkpoint, timer, Progress.NONE).train(pairs, List.of(), m);
		// step k's time is the gap between the reports of steps k - 1 and k
		double[] ms = new double[steps];
		for (int k = 0; k < steps; k++) ms[k] = (started[warmup + k + 2] - started[warmup + k + 1]) / 1e6;
		Arrays.sort(ms);
		return ms[steps / 2];
	}

	public static Forward load(Map<String, WeightTensor> sd, NDManager m) {
		return new Forward(Generators.load(sd, "auto", "auto", BatchNorm.Statistics.RUNNING, null, m));
	}
}
