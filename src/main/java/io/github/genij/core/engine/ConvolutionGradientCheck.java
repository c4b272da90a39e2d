package io.github.genij.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Checks that this engine differentiates a convolution correctly on this machine: a batch of two small
 * images through a 2x2 convolution (a case libtorch hands to oneDNN), the input's gradient against the
 * same gradient computed as the transposed correlation in float64 (a path oneDNN does not take). Some
 * libtorch builds get it wrong on some processors (see {@link CpuKernels}); training and Gatys warn then.
 */
public final class ConvolutionGradientCheck {

	private static Boolean passed;

	private ConvolutionGradientCheck() {}

	/** Whether the input gradient of a convolution is right here (checked once per process). */
	public static synchronized boolean passes() {
		if (passed == null) passed = run();
		return passed;
	}

	/** The line training commands log when the check fails. */
	public static String warning() {
		return "Warning: this machine's PyTorch computes convolution gradients wrongly (oneDNN CPU kernels), so " +
			"training and Gatys give wrong results. Fix: start with the environment variable " + CpuKernels.VARIABLE +
			"=" + CpuKernels.CAP + " (or SSE41).";
	}

	private static boolean run() {
		try (NDManager m = GenIJEngine.get().newBaseManager(ai.djl.Device.cpu()); NoGrad outer = NoGrad.enter()) {
			Shape xs = new Shape(2, 3, 5, 7), ws = new Shape(4, 3, 2, 2), gs = new Shape(2, 4, 4, 6);
			NDArray x = m.create(pattern(xs, 0.37), xs), w = m.create(pattern(ws, 0.61), ws), g = m.create(pattern(gs, 0.83), gs);
			x.setRequiresGradient(true);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1)).get(0);
				gc.backward(y.mul(g).sum());
			}
			NDArray got = x.getGradient().toType(DataType.FLOAT64, false);
			// d(sum(g * conv(x, w)))/dx = correlation of g (padded by k-1) with w flipped, in and out swapped
			NDArray flipped = w.toType(DataType.FLOAT64, false).transpose(1, 0, 2, 3).flip(2, 3);
			NDArray expected = Conv2d.conv2d(g.toType(DataType.FLOAT64, false), flipped, null, new Shape(1, 1),
				new Shape(1, 1), new Shape(1, 1)).get(0);
			double error = got.sub(expected).abs().max().getDouble(), scale = expected.abs().max().getDouble();
			return error <= 1e-4 * scale;
		}
	}

	/** Deterministic values in [-1, 1] (no random generator: the same check everywhere). */
	private static float[] pattern(Shape shape, double step) {
		float[] v = new float[(int) shape.size()];
		for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(1 + i * step);
		return v;
	}
}
