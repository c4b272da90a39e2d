package io.github.genij.stylegan;

import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.Scalars;

/**
 * StyleGAN2's two gradient penalties, R1 on the discriminator and path-length regularisation on the generator,
 * with their parameter gradients computed from first-order gradients only.
 * <p>
 * Why: both penalties are functions of a gradient, so their own gradient needs a second derivative. PyTorch
 * takes it with {@code autograd.grad(..., create_graph=True)}; DJL offers only {@code backward(create_graph)},
 * which leaves each parameter's {@code .grad} holding a graph that refers back to the parameter, and DJL cannot
 * reset {@code .grad} to None to break that cycle: measured, a small two-layer network leaked 60 MB per step.
 * Instead the Hessian-vector product is a central difference of first-order gradients: for a penalty
 * {@code P = c · ∇ₓF(x)} with {@code c} held fixed, {@code ∇_θ P = [∇_θ F(x + εc) - ∇_θ F(x - εc)] / 2ε}.
 * Through the lrelus (with their slopes held, see below) this is exact; through the smooth parts the error is
 * O(ε²), provided the lrelus keep the slopes of the first pass ({@link ActivationPattern}). ε is chosen so that the
 * step's root mean square is {@code delta} (1e-3 in float32). The tests compare these gradients with PyTorch's
 * double backward.
 */
final class GradientPenalties {

	/** The root mean square of the finite-difference step in float32. */
	static final double DELTA = 1e-3;

	private GradientPenalties() {}

	/**
	 * R1 for a batch of real images: records the gradient of {@code weight · R1} in the discriminator's
	 * parameters, R1 = mean over the batch of ‖∇ₓ Σ D(x)‖² (rosinality's {@code d_r1_loss}); returns R1.
	 * Gradients must be zero on entry; the caller runs inside a gradient collector.
	 */
	static double r1(Discriminator d, NDArray real, double weight, double delta, GradientCollector gc, Runnable zeroGradients) {
		NDArray x = real.duplicate();
		x.setRequiresGradient(true);
		try (ActivationPattern pattern = ActivationPattern.recording()) {
			gc.backward(d.forward(x).sum());
			return r1(d, real, x, weight, delta, gc, zeroGradients, pattern);
		}
	}

	private static double r1(Discriminator d, NDArray real, NDArray x, double weight, double delta, GradientCollector gc, Runnable zeroGradients,
		ActivationPattern pattern)
	{
		long n = real.getShape().get(0);
		NDManager m = real.getManager();
		NDArray v;
		try (NoGrad g = NoGrad.enter()) {
			v = x.getGradient().duplicate();
			v.attach(m);
		}
		zeroGradients.run(); // the pass above also reached the parameters
		double r1 = scalar(v.square().sum()) / n;
		// ∇_θ (weight · r1) = weight · (2/N) · d/dε ∇_θ S(x + εv)
		float eps = step(v, delta);
		NDArray plus = pattern.replay(() -> d.forward(real.add(Scalars.times(v, eps))));
		NDArray minus = pattern.replay(() -> d.forward(real.sub(Scalars.times(v, eps))));
		double k = weight * 2 / n / (2 * eps);
		gc.backward(Scalars.times(plus.sum().sub(minus.sum()), (float) k));
		return r1;
	}

	/**
	 * WGAN-GP as pytorch_GAN_zoo computes it ({@code WGANGPGradientPenalty}): on x̂ = a·real + (1 - a)·fake with one a
	 * per sample, GP = weight · Σ over the batch of (‖∇_x̂ Σ D(x̂)‖ - 1)²; records the gradient of GP in the
	 * discriminator's parameters (as {@link #r1}: GP = f(g), g = ∇ₓS, so ∇_θ GP = d/dε ∇_θ S(x̂ + εc) with
	 * c = ∂f/∂g) and returns GP. {@code a} is {@code [N, 1, 1, 1]}. Gradients must be zero on entry.
	 */
	static double wganGp(UnaryOperator<NDArray> d, NDArray real, NDArray fake, NDArray a, double weight, double delta, GradientCollector gc,
		Runnable zeroGradients)
	{
		NDManager m = real.getManager();
		NDArray mixed;
		try (NoGrad g = NoGrad.enter()) {
			mixed = real.mul(a).add(fake.mul(a.neg().add(1)));
			mixed.attach(m);
		}
		NDArray x = mixed.duplicate();
		x.setRequiresGradient(true);
		try (ActivationPattern pattern = ActivationPattern.recording()) {
			gc.backward(d.apply(x).sum());
			long n = real.getShape().get(0);
			NDArray c;
			double penalty = 0;
			try (NoGrad g = NoGrad.enter()) {
				NDArray v = x.getGradient().duplicate();
				v.attach(m);
				double[] norms = v.reshape(n, -1).square().sum(new int[] { 1 }).sqrt().toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
					.toDoubleArray();
				double[] k = new double[(int) n];
				for (int i = 0; i < n; i++) {
					penalty += weight * (norms[i] - 1) * (norms[i] - 1);
					k[i] = norms[i] > 0 ? weight * 2 * (norms[i] - 1) / norms[i] : 0;
				}
				c = v.mul(m.create(k).toType(v.getDataType(), false).reshape(n, 1, 1, 1));
			}
			zeroGradients.run(); // the pass above also reached the parameters
			float eps = step(c, delta);
			NDArray shift = Scalars.times(c, eps);
			NDArray plus = pattern.replay(() -> d.apply(mixed.add(shift)));
			NDArray minus = pattern.replay(() -> d.apply(mixed.sub(shift)));
			gc.backward(Scalars.times(plus.sum().sub(minus.sum()), (float) (1 / (2.0 * eps))));
			return penalty;
		}
	}

	/** The path lengths and the penalty of one path-length step. */
	static final class PathLengths {
		double penalty, meanPathLength, meanOfBatch;
	}

	/**
	 * Path-length regularisation (rosinality's {@code g_path_regularize}): L_n = √(mean over w's of ‖∇_ws Σ img·y‖²)
	 * with y ~ N(0, 1)/√(H·W), the running mean a ← a + decay·(mean L - a) (a function of the batch, as in the
	 * reference), penalty mean (L_n - a)²; records the gradient of {@code weight · penalty} in the generator (synthesis
	 * through the images, mapping through the w's). {@code ws} comes from the mapping network with its graph;
	 * {@code noise} gives the same maps on every pass. Gradients must be zero on entry.
	 */
	static PathLengths pathLength(StyleGan2 g, NDArray ws, Noise noise, NDArray y, double meanPathLength, double decay,
		double weight, double delta, GradientCollector gc, Runnable zeroGradients)
	{
		NDArray leaf;
		try (NoGrad ng = NoGrad.enter()) {
			leaf = ws.duplicate();
		}
		leaf.setRequiresGradient(true);
		try (ActivationPattern pattern = ActivationPattern.recording()) {
			gc.backward(g.synthesise(leaf, noise).mul(y).sum());
			return pathLength(g, ws, leaf, noise, y, meanPathLength, decay, weight, delta, gc, zeroGradients, pattern);
		}
	}

	private static PathLengths pathLength(StyleGan2 g, NDArray ws, NDArray leaf, Noise noise, NDArray y, double meanPathLength, double decay,
		double weight, double delta, GradientCollector gc, Runnable zeroGradients, ActivationPattern pattern)
	{
		long n = ws.getShape().get(0), numWs = ws.getShape().get(1);
		NDManager m = ws.getManager();
		NDArray grad, lengths;
		try (NoGrad ng = NoGrad.enter()) {
			grad = leaf.getGradient().duplicate();
			grad.attach(m);
			lengths = grad.square().sum(new int[] { 2 }).mean(new int[] { 1 }).sqrt(); // [N]
		}
		zeroGradients.run();
		double[] l = lengths.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
		double mean = 0;
		for (double v : l) mean += v / n;
		PathLengths out = new PathLengths();
		out.meanOfBatch = mean;
		double a = meanPathLength + decay * (mean - meanPathLength);
		double excessSum = 0, penalty = 0;
		for (double v : l) {
			excessSum += v - a;
			penalty += (v - a) * (v - a) / n;
		}
		out.penalty = penalty;
		out.meanPathLength = a;
		// dP/dL_n = (2/N)[(L_n - a) - (decay/N) Σ_k (L_k - a)] (a depends on the batch); dL_n/dg = g / (L_n · numWs)
		float[] coefficient = new float[(int) n];
		for (int i = 0; i < n; i++) {
			double du = 2.0 / n * ((l[i] - a) - decay / n * excessSum);
			coefficient[i] = (float) (l[i] > 0 ? du / (l[i] * numWs) : 0);
		}
		NDArray c = grad.mul(m.create(coefficient).toType(grad.getDataType(), false).reshape(n, 1, 1));
		float eps = step(c, delta);
		NDArray shift = Scalars.times(c, eps);
		NDArray plus = pattern.replay(() -> g.synthesise(ws.add(shift), noise.again())).mul(y).sum();
		NDArray minus = pattern.replay(() -> g.synthesise(ws.sub(shift), noise.again())).mul(y).sum();
		gc.backward(Scalars.times(plus.sub(minus), (float) (weight / (2 * eps))));
		return out;
	}

	static double scalar(NDArray x) {
		return x.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
	}

	/** ε that makes the step {@code ε·direction} have root mean square {@code delta}. */
	private static float step(NDArray direction, double delta) {
		double rms = Math.sqrt(scalar(direction.square().mean()));
		return (float) (rms > 0 ? delta / rms : delta);
	}
}
