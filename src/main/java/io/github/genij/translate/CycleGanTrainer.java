package io.github.genij.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.nn.Adam;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.EpochLoop;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.TrainingCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * Trains CycleGAN as the reference does (junyanz/pytorch-CycleGAN-and-pix2pix, {@code --model cycle_gan}): two ResNet
 * generators with instance norm ({@code G_A}: A→B, {@code G_B}: B→A), two 70×70 PatchGANs ({@code D_A} judges B
 * images, {@code D_B} A images), least-squares GAN losses, cycle losses × {@code lambdaCycle} and identity losses ×
 * {@code lambdaCycle · lambdaIdentity}, a pool of 50 generated images per discriminator, Adam (2e-4, β1 0.5) for the
 * generators together and the discriminators together, the learning rate constant for the first half of the epochs
 * and falling linearly to zero over the second, random jitter and mirroring, batch 1. An epoch visits every image of
 * the larger set once; A cycles in order, B is drawn at random (the reference's unaligned dataset).
 * <p>
 * A checkpoint (the four networks, both optimisers, both pools, the position) is written at the end of every epoch,
 * every few minutes and when cancelled; every random draw is seeded by (seed, epoch, step), so a continued run
 * computes what an uninterrupted one would have.
 */
public final class CycleGanTrainer {

	/** What to train; the defaults are the reference's CycleGAN defaults (resnet_9blocks, ngf 64). */
	public static final class Settings {
		public int blocks = 9, ngf = 64, ndf = 64;
		public int channelsA = 3, channelsB = 3;
		public int epochs = 200, cropSize = 256, poolSize = 50;
		public float lambdaCycle = 10f, lambdaIdentity = 0.5f, lr = 2e-4f, beta1 = 0.5f;
		public long seed = 0;

		public String architecture() {
			return "resnet_" + blocks + "blocks";
		}

		void check() {
			if (blocks < 1 || ngf < 1 || ndf < 1 || epochs < 1) throw new GenIJException("blocks, ngf, ndf and epochs must each be at least 1.");
			if (cropSize < 16 || cropSize % 4 != 0) throw new GenIJException("cropsize=" + cropSize + ": give a multiple of 4 from 16.");
			if (!(lambdaCycle >= 0) || !(lambdaIdentity >= 0)) throw new GenIJException("lambdacycle and lambdaidentity must be 0 or more.");
			if (lambdaIdentity > 0 && channelsA != channelsB)
				throw new GenIJException("The identity loss needs A and B images with as many channels (" + channelsA + " and " + channelsB +
					"): give lambdaidentity=0, or images of one type.");
		}

		String identity() {
			return String.format(Locale.ROOT, "cyclegan %s ngf=%d ndf=%d a=%d b=%d crop=%d pool=%d cycle=%s identity=%s lr=%s beta1=%s seed=%d",
				architecture(), ngf, ndf, channelsA, channelsB, cropSize, poolSize, lambdaCycle, lambdaIdentity, lr, beta1, seed);
		}
	}

	/** The losses of one step. */
	public static final class StepLosses {
		public float gA, gB, cycleA, cycleB, identityA, identityB, dA, dB;
	}

	/** One epoch's means and the preview of a held-out pair: A, G_A(A), B, G_B(B) as {@code [C, s, s]}. */
	public static final class EpochReport {
		public int epoch;
		public double cycle, gan, discriminator;
		public transient float[] previewA, previewAB, previewB, previewBA;
		public transient int previewSize;
	}

	public interface Listener {
		default void step(int epoch, int step, int steps, StepLosses losses) {}

		default void epoch(EpochReport report) {}
	}

	/** What training produced: the four networks in the reference's layout. */
	public static final class Result {
		public final Map<String, WeightTensor> gA, gB, dA, dB;
		public final List<EpochReport> history;

		Result(Map<String, WeightTensor> gA, Map<String, WeightTensor> gB, Map<String, WeightTensor> dA, Map<String, WeightTensor> dB,
			List<EpochReport> history)
		{
			this.gA = gA;
			this.gB = gB;
			this.dA = dA;
			this.dB = dB;
			this.history = history;
		}
	}

	static final class State extends TrainingCheckpoint.RunState {
		int epoch, position, epochs;
		long adamStepsG, adamStepsD;
		int poolA, poolB;
		List<EpochReport> history = new ArrayList<>();
	}

	private static final String STATE_KEY = "genij.cyclegan.state";

	private final Settings s;
	private final TrainingCheckpoint checkpoint;
	private final Listener listener;
	private final Progress progress;

	public CycleGanTrainer(Settings settings, Path checkpoint, Listener listener, Progress progress) {
		settings.check();
		this.s = settings;
		this.checkpoint = new TrainingCheckpoint(checkpoint, STATE_KEY);
		this.listener = listener == null ? new Listener() {} : listener;
		this.progress = progress;
	}

	ResnetGenerator generator(int in, int out) {
		return Generator.referenceInit(new ResnetGenerator(in, out, s.ngf, s.blocks, false, false));
	}

	PatchDiscriminator discriminator(int channels) {
		return Generator.referenceInit(new PatchDiscriminator(channels, s.ndf, 3, false));
	}

	/** The generators' losses (LSGAN towards real, cycle and identity), and the fakes the discriminators then judge. */
	static final class GeneratorPass {
		NDArray total, fakeA, fakeB;
		final StepLosses losses = new StepLosses();
	}

	/** The reference's {@code forward} and {@code backward_G} (without the backward call). */
	static GeneratorPass generatorPass(Layer gA, Layer gB, Layer dA, Layer dB, NDArray realA, NDArray realB, float lambdaCycle, float lambdaIdentity) {
		GeneratorPass p = new GeneratorPass();
		p.fakeB = gA.forward(realA);
		NDArray recA = gB.forward(p.fakeB);
		p.fakeA = gB.forward(realB);
		NDArray recB = gA.forward(p.fakeA);
		NDArray ganA = mse(dA.forward(p.fakeB), 1f), ganB = mse(dB.forward(p.fakeA), 1f);
		NDArray cycleA = Scalars.times(recA.sub(realA).abs().mean(), lambdaCycle), cycleB = Scalars.times(recB.sub(realB).abs().mean(), lambdaCycle);
		NDArray total = ganA.add(ganB).add(cycleA).add(cycleB);
		if (lambdaIdentity > 0) {
			NDArray idtA = Scalars.times(gA.forward(realB).sub(realB).abs().mean(), lambdaCycle * lambdaIdentity);
			NDArray idtB = Scalars.times(gB.forward(realA).sub(realA).abs().mean(), lambdaCycle * lambdaIdentity);
			total = total.add(idtA).add(idtB);
			p.losses.identityA = idtA.getFloat();
			p.losses.identityB = idtB.getFloat();
		}
		p.total = total;
		p.losses.gA = ganA.getFloat();
		p.losses.gB = ganB.getFloat();
		p.losses.cycleA = cycleA.getFloat();
		p.losses.cycleB = cycleB.getFloat();
		return p;
	}

	/** The reference's {@code backward_D_basic}: (LSGAN of real towards 1 + of the (pooled, detached) fake towards 0) / 2. */
	static NDArray discriminatorLoss(Layer d, NDArray real, NDArray fake) {
		return Scalars.times(mse(d.forward(real), 1f).add(mse(d.forward(fake.stopGradient()), 0f)), 0.5f);
	}

	private static NDArray mse(NDArray prediction, float target) {
		return prediction.sub(target).square().mean();
	}

	/**
	 * The reference's {@code ImagePool}: while filling, every image goes in and is returned; when full, half the time a
	 * random stored image is returned and replaced by the new one, else the new one is returned.
	 */
	static final class ImagePool {
		final int size;
		final List<float[]> images = new ArrayList<>();

		ImagePool(int size) {
			this.size = size;
		}

		float[] query(float[] image, Random r) {
			if (size == 0) return image;
			if (images.size() < size) {
				images.add(image);
				return image;
			}
			if (r.nextDouble() > 0.5) {
				int k = r.nextInt(size);
				float[] old = images.get(k);
				images.set(k, image);
				return old;
			}
			return image;
		}
	}

	/**
	 * Trains on the unpaired images {@code a} and {@code b} (each {@code [C, H, W]} in -1..1, their sizes in {@code sizes*}),
	 * previewing on the first of each.
	 *
	 * @throws CancelledException when cancelled, after the checkpoint was saved
	 */
	public Result train(List<TrainingPair> a, List<TrainingPair> b, NDManager parent) {
		if (a.isEmpty() || b.isEmpty()) throw new GenIJException("Both folders need images.");
		String data = Pix2PixTrainer.fingerprint(a) + Pix2PixTrainer.fingerprint(b);
		State state = checkpoint.continued(State.class, "a CycleGAN", s.identity(), data);
		Map<String, WeightTensor> saved = state == null ? null : checkpoint.tensors();
		ImagePool poolA = new ImagePool(s.poolSize), poolB = new ImagePool(s.poolSize);
		try (NDManager m = parent.newSubManager(); ResnetGenerator gA = generator(s.channelsA, s.channelsB);
			ResnetGenerator gB = generator(s.channelsB, s.channelsA); PatchDiscriminator dA = discriminator(s.channelsB);
			PatchDiscriminator dB = discriminator(s.channelsA))
		{
			Module[] nets = { gA, gB, dA, dB };
			String[] names = { "G_A.", "G_B.", "D_A.", "D_B." };
			if (state != null) {
				for (int i = 0; i < 4; i++) nets[i].load(TrainingCheckpoint.prefixed(saved, names[i]), m, "The saved " + names[i] + " network");
				for (int k = 0; k < state.poolA; k++) poolA.images.add(saved.get("pool_A." + k).toFloats());
				for (int k = 0; k < state.poolB; k++) poolB.images.add(saved.get("pool_B." + k).toFloats());
				progress.log("Continuing the training saved in " + checkpoint.file() + " at epoch " + (state.epoch + 1) + ", step " + (state.position + 1) + ".");
			}
			else {
				for (int i = 0; i < 4; i++) nets[i].initialise(s.seed + i, m);
				state = new State();
				state.settings = s.identity();
				state.data = data;
			}
			state.epochs = s.epochs;
			for (Module n : nets) n.train(true);
			Map<String, NDArray> gParams = new LinkedHashMap<>(), dParams = new LinkedHashMap<>();
			gA.trainableArrays().forEach((k, v) -> gParams.put("G_A." + k, v));
			gB.trainableArrays().forEach((k, v) -> gParams.put("G_B." + k, v));
			dA.trainableArrays().forEach((k, v) -> dParams.put("D_A." + k, v));
			dB.trainableArrays().forEach((k, v) -> dParams.put("D_B." + k, v));
			try (Adam adamG = new Adam(gParams, s.beta1, 0.999f, 1e-8f, m); Adam adamD = new Adam(dParams, s.beta1, 0.999f, 1e-8f, m)) {
				if (saved != null && state.adamStepsG > 0) {
					Map<String, float[]> moments = TrainingCheckpoint.floats(saved, "adam");
					adamG.restore(moments, "adamG.", state.adamStepsG);
					adamD.restore(moments, "adamD.", state.adamStepsD);
				}
				saved = null;
				loop(a, b, gA, gB, dA, dB, adamG, adamD, poolA, poolB, state, m);
			}
			return new Result(gA.stateDict(), gB.stateDict(), dA.stateDict(), dB.stateDict(), state.history);
		}
	}

	private void loop(List<TrainingPair> a, List<TrainingPair> b, ResnetGenerator gA, ResnetGenerator gB, PatchDiscriminator dA,
		PatchDiscriminator dB, Adam adamG, Adam adamD, ImagePool poolA, ImagePool poolB, State state, NDManager m)
	{
		Jitter jitter = new Jitter(s.cropSize);
		int n = Math.max(a.size(), b.size());
		new EpochLoop(progress, checkpoint.file()) {
			float lr;
			double cycle, gan, disc;
			int counted;

			@Override
			protected int startEpoch(int epoch) {
				lr = s.lr * Pix2PixTrainer.learningRateFactor(epoch, s.epochs);
				cycle = gan = disc = 0;
				counted = 0;
				progress.status("CycleGAN epoch " + (epoch + 1) + " of " + s.epochs + " (learning rate " + lr + ")");
				return n;
			}

			@Override
			protected void step(int epoch, int i, int steps) {
				Random r = new Random(TrainingCheckpoint.stepSeed(s.seed, epoch, i));
				TrainingPair pa = a.get(i % a.size()), pb = b.get(r.nextInt(b.size()));
				StepLosses l = CycleGanTrainer.this.step(jitter.sample(pa, r)[0], jitter.sample(pb, r)[0], r, gA, gB, dA, dB, adamG, adamD, poolA,
					poolB, lr, m);
				cycle += l.cycleA + l.cycleB;
				gan += l.gA + l.gB;
				disc += l.dA + l.dB;
				counted++;
				listener.step(epoch, i, n, l);
			}

			@Override
			protected void endEpoch(int epoch) {
				EpochReport report = preview(a.get(0), b.get(0), gA, gB, m);
				report.epoch = epoch;
				report.cycle = cycle / Math.max(1, counted);
				report.gan = gan / Math.max(1, counted);
				report.discriminator = disc / Math.max(1, counted);
				state.history.add(report);
				progress.log(String.format(Locale.ROOT, "Epoch %d of %d: cycle %.4f, G GAN %.4f, D %.4f", epoch + 1, s.epochs, report.cycle, report.gan,
					report.discriminator));
				listener.epoch(report);
			}

			@Override
			protected void save(int epoch, int position) {
				state.epoch = epoch;
				state.position = position;
				CycleGanTrainer.this.save(gA, gB, dA, dB, adamG, adamD, poolA, poolB, state);
			}
		}.run(state.epoch, state.position, s.epochs);
	}

	/** The reference's {@code optimize_parameters}: the generators' step (discriminators fixed), then the discriminators'. */
	private StepLosses step(float[] a, float[] b, Random r, ResnetGenerator gA, ResnetGenerator gB, PatchDiscriminator dA, PatchDiscriminator dB,
		Adam adamG, Adam adamD, ImagePool poolA, ImagePool poolB, float lr, NDManager m)
	{
		int size = s.cropSize;
		try (NDManager step = m.newSubManager(); GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			NDArray realA = step.create(a, new Shape(1, s.channelsA, size, size)), realB = step.create(b, new Shape(1, s.channelsB, size, size));
			GeneratorPass p = generatorPass(gA, gB, dA, dB, realA, realB, s.lambdaCycle, s.lambdaIdentity);
			gc.backward(p.total);
			adamG.step(lr);
			adamD.zeroGradients(); // the generators' loss reached the discriminators too
			float[] fakeB = poolB.query(p.fakeB.toFloatArray(), r), fakeA = poolA.query(p.fakeA.toFloatArray(), r);
			NDArray lossDA = discriminatorLoss(dA, realB, step.create(fakeB, new Shape(1, s.channelsB, size, size)));
			NDArray lossDB = discriminatorLoss(dB, realA, step.create(fakeA, new Shape(1, s.channelsA, size, size)));
			gc.backward(lossDA.add(lossDB));
			adamD.step(lr);
			StepLosses l = p.losses;
			l.dA = lossDA.getFloat();
			l.dB = lossDB.getFloat();
			if (!Float.isFinite(l.dA + l.dB + l.gA + l.gB + l.cycleA + l.cycleB))
				throw new GenIJException("Training diverged (D " + (l.dA + l.dB) + ", G " + (l.gA + l.gB) + "). Lower the learning rate or check the images.");
			return l;
		}
	}

	/** G_A and G_B on the centred crops of the first A and B images. */
	private EpochReport preview(TrainingPair a, TrainingPair b, ResnetGenerator gA, ResnetGenerator gB, NDManager m) {
		EpochReport report = new EpochReport();
		Jitter jitter = new Jitter(s.cropSize);
		try (io.github.genij.core.engine.NoGrad ng = io.github.genij.core.engine.NoGrad.enter(); NDManager v = m.newSubManager()) {
			report.previewA = jitter.centred(a)[0];
			report.previewB = jitter.centred(b)[0];
			report.previewAB = gA.forward(v.create(report.previewA, new Shape(1, s.channelsA, s.cropSize, s.cropSize))).toFloatArray();
			report.previewBA = gB.forward(v.create(report.previewB, new Shape(1, s.channelsB, s.cropSize, s.cropSize))).toFloatArray();
			report.previewSize = s.cropSize;
		}
		return report;
	}

	private void save(ResnetGenerator gA, ResnetGenerator gB, PatchDiscriminator dA, PatchDiscriminator dB, Adam adamG, Adam adamD, ImagePool poolA,
		ImagePool poolB, State state)
	{
		state.adamStepsG = adamG.steps();
		state.adamStepsD = adamD.steps();
		state.poolA = poolA.images.size();
		state.poolB = poolB.images.size();
		Map<String, WeightTensor> all = new LinkedHashMap<>();
		gA.stateDict().forEach((k, v) -> all.put("G_A." + k, v));
		gB.stateDict().forEach((k, v) -> all.put("G_B." + k, v));
		dA.stateDict().forEach((k, v) -> all.put("D_A." + k, v));
		dB.stateDict().forEach((k, v) -> all.put("D_B." + k, v));
		adamG.state("adamG.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		adamD.state("adamD.").forEach((k, v) -> all.put(k, WeightTensor.of(v)));
		for (int k = 0; k < poolA.images.size(); k++) all.put("pool_A." + k, WeightTensor.ofFloats(poolA.images.get(k), new long[] { poolA.images.get(k).length }));
		for (int k = 0; k < poolB.images.size(); k++) all.put("pool_B." + k, WeightTensor.ofFloats(poolB.images.get(k), new long[] { poolB.images.get(k).length }));
		checkpoint.write(all, state);
	}
}
