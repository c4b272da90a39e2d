package io.github.genij.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Checks that GenIJ computes convolutions correctly on this machine, against float64 (a path oneDNN's
 * vector kernels do not take): forward convolutions with input-channel counts that are not multiples of 8
 * (14 and 17 channels, 3x3, 48x32: oneDNN's AVX, AVX2 and AVX-512 kernels got these wrong by a third of the
 * output range here, unless the channels are padded), and the input gradient of a batch of two images
 * through a 2x2 convolution (wrong with AVX2 and AVX-512 here). See {@link CpuKernels}; commands warn when
 * it fails.
 */
public final class ConvolutionCheck {

	private static Boolean passed;

	private ConvolutionCheck() {}

	/** Whether convolutions and their input gradients are right here (checked once per process). */
	public static synchronized boolean passes() {
		if (passed == null) passed = run();
		return passed;
	}

	/** The line commands log when the check fails. */
	public static String warning() {
		return "Warning: this machine's PyTorch computes some convolutions wrongly (oneDNN's vector CPU kernels), so " +
			"results are wrong. Fix: start with the environment variable " + CpuKernels.VARIABLE + "=" + CpuKernels.CAP + ".";
	}

	private static boolean run() {
		return forwardIsRight(14, 48, 32) && forwardIsRight(17, 48, 32) && gradientIsRight(3, 5, 7) && gradientIsRight(14, 48, 32);
	}

	/** A 3x3 convolution (8 outputs) of a w x h image with {@code channels} inputs, float32 against float64. */
	private static boolean forwardIsRight(int channels, int w, int h) {
		try (NDManager m = GenIJEngine.get().newBaseManager(ai.djl.Device.cpu()); NoGrad outer = NoGrad.enter()) {
			Shape xs = new Shape(1, channels, h, w), ws = new Shape(8, channels, 3, 3);
			NDArray x = m.create(pattern(xs, 0.29), xs), k = m.create(pattern(ws, 0.53), ws);
			NDArray y = io.github.genij.core.nn.Convolutions.conv2d(x, k, null, 1, 1); // GenIJ's path, padding channels where needed
			NDArray expected = Conv2d.conv2d(x.toType(DataType.FLOAT64, false), k.toType(DataType.FLOAT64, false), null,
				new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)).get(0);
			double error = y.toType(DataType.FLOAT64, false).sub(expected).abs().max().getDouble();
			return error <= 1e-4 * expected.abs().max().getDouble();
		}
	}

	/** The input gradient of a 2x2 convolution (4 outputs) of two h x w images with {@code channels} inputs. */
	private static boolean gradientIsRight(int channels, int h, int w0) {
		try (NDManager m = GenIJEngine.get().newBaseManager(ai.djl.Device.cpu()); NoGrad outer = NoGrad.enter()) {
			Shape xs = new Shape(2, channels, h, w0), ws = new Shape(4, channels, 2, 2), gs = new Shape(2, 4, h - 1, w0 - 1);
			NDArray x = m.create(pattern(xs, 0.37), xs), w = m.create(pattern(ws, 0.61), ws), g = m.create(pattern(gs, 0.83), gs);
			x.setRequiresGradient(true);
			try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
				NDArray y = io.github.genij.core.nn.Convolutions.conv2d(x, w, null, 1, 0);
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
