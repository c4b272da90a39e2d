package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * 2-D transposed convolution ({@code conv_transpose2d}), which DJL's PyTorch engine does not implement.
 * <p>
 * Weights are in PyTorch's layout {@code [in, out, kH, kW]}, so imported checkpoints drop in. The work
 * is done in the sub-pixel form: a transposed convolution with stride s is s&times;s ordinary
 * convolutions, one per output phase, each with every s-th kernel tap. They run as one convolution of
 * {@code out * sH * sW} channels with kernels of {@code ceil(k / s)} taps, followed by a depth-to-space
 * shuffle and a crop for {@code padding} and {@code output_padding}. At stride 2 this skips the 3 in 4
 * multiplications by zero that the zero-insertion form would make. Everything is built from
 * differentiable ops, so gradients reach the input, the weights and the bias.
 * <p>
 * Dilation is 1 and groups 1: what the supported networks use.
 */
public final class TransposedConv2d {

	private final NDArray phaseKernel;
	/**
	 * For kernels whose size is not a multiple of the stride (3x3 at stride 2): one exact kernel per phase
	 * (2x2, 2x1, 1x2, 1x1 taps), so no multiplication by a padded zero tap (9 taps instead of 16); null
	 * otherwise.
	 */
	private final java.util.List<NDArray> exactPhases;
	private final long in, out, kh, kw, mh, mw;
	private final int[] stride, padding, outputPadding;

	private TransposedConv2d(NDArray phaseKernel, java.util.List<NDArray> exactPhases, long in, long out, long kh, long kw, int[] stride,
		int[] padding, int[] outputPadding)
	{
		this.phaseKernel = phaseKernel;
		this.in = in;
		this.exactPhases = exactPhases;
		this.out = out;
		this.kh = kh;
		this.kw = kw;
		this.mh = (kh + stride[0] - 1) / stride[0];
		this.mw = (kw + stride[1] - 1) / stride[1];
		this.stride = stride.clone();
		this.padding = padding.clone();
		this.outputPadding = outputPadding.clone();
	}

	/**
	 * Rearranges {@code weight} into phase kernels once, for a network that applies the same weights many
	 * times (inference): the rearrangement costs as much as the convolution itself on small inputs. The
	 * prepared kernel lives in the weight's manager. Built from differentiable ops: under a gradient
	 * collector, gradients still reach {@code weight}.
	 *
	 * @param weight {@code [in, out, kH, kW]}, PyTorch's layout
	 * @param stride (sH, sW)
	 * @param padding (pH, pW): rows and columns removed from each side of the full output
	 * @param outputPadding (opH, opW): rows and columns added at the bottom and right, each less than its stride
	 */
	public static TransposedConv2d prepare(NDArray weight, int[] stride, int[] padding, int[] outputPadding) {
		long[] ws = weight.getShape().getShape();
		if (ws.length != 4) throw new IllegalArgumentException("weight must be [in, out, kH, kW]: " + weight.getShape());
		for (int a = 0; a < 2; a++) {
			if (stride[a] < 1 || padding[a] < 0 || outputPadding[a] < 0 || outputPadding[a] >= stride[a])
				throw new IllegalArgumentException("need stride >= 1, padding >= 0 and 0 <= output_padding < stride");
		}
		long in = ws[0], out = ws[1], kh = ws[2], kw = ws[3];
		int sh = stride[0], sw = stride[1];
		long mh = (kh + sh - 1) / sh, mw = (kw + sw - 1) / sw;
		// [in, out, kH, kW] -> [out * sH * sW, in, mH, mW]: for phase (rh, rw) the taps rh + sH * j, in reverse
		// order (a transposed convolution correlates with the flipped kernel).
		if (kh % sh == 0 && kw % sw == 0) {
			NDArray kernel = weight.reshape(in, out, mh, sh, mw, sw) // tap a = j * s + r -> axes (j, r)
				.transpose(1, 3, 5, 0, 2, 4) // out, rH, rW, in, jH, jW
				.flip(4, 5)
				.reshape(out * sh * sw, in, mh, mw);
			return new TransposedConv2d(kernel, null, in, out, kh, kw, stride, padding, outputPadding);
		}
		// a kernel size that is not a multiple of the stride: phase (rh, rw) reads fewer taps than mH for some
		// phases, each with a kernel of its own (flipped, in and out swapped)
		java.util.List<NDArray> exact = new java.util.ArrayList<>();
		for (int rh = 0; rh < sh; rh++)
			for (int rw = 0; rw < sw; rw++) {
				if (rh >= kh || rw >= kw) exact.add(null); // no tap reaches this phase: only zeros (and the bias)
				else exact.add(weight.get(":, :, " + rh + "::" + sh + ", " + rw + "::" + sw).transpose(1, 0, 2, 3).flip(2, 3));
			}
		return new TransposedConv2d(null, exact, in, out, kh, kw, stride, padding, outputPadding);
	}

	/** {@code conv_transpose2d(x, weight, bias, stride, padding, output_padding)} with square settings. */
	public static NDArray apply(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int outputPadding) {
		return apply(x, weight, bias, new int[] { stride, stride }, new int[] { padding, padding },
			new int[] { outputPadding, outputPadding });
	}

	/** One-off {@code conv_transpose2d}: {@link #prepare} then {@link #forward}; see there for the arguments. */
	public static NDArray apply(NDArray x, NDArray weight, NDArray bias, int[] stride, int[] padding,
		int[] outputPadding)
	{
		return prepare(weight, stride, padding, outputPadding).forward(x, bias);
	}

	/**
	 * @param x {@code [N, in, H, W]}
	 * @param bias {@code [out]} or null
	 * @return {@code [N, out, (H-1)sH - 2pH + kH + opH, (W-1)sW - 2pW + kW + opW]}
	 */
	public NDArray forward(NDArray x, NDArray bias) {
		long[] xs = x.getShape().getShape();
		if (xs.length != 4 || xs[1] != in) {
			throw new IllegalArgumentException("transposed conv needs x [N, " + in +
				", H, W]; got " + x.getShape());
		}
		int sh = stride[0], sw = stride[1];
		long n = xs[0], h = xs[2], w = xs[3];
		long outH = (h - 1) * sh - 2L * padding[0] + kh + outputPadding[0];
		long outW = (w - 1) * sw - 2L * padding[1] + kw + outputPadding[1];
		if (outH < 1 || outW < 1) throw new IllegalArgumentException("padding leaves no output for " + x.getShape());

		// Each phase is a "full" correlation: pad by taps - 1 so every input pixel reaches every tap.
		long qh = h + mh - 1, qw = w + mw - 1;
		NDArray phases = exactPhases != null ? exactPhases(x, n, qh, qw) : Convolutions.conv2d(x,
			phaseKernel.getDevice().equals(x.getDevice()) ? phaseKernel : phaseKernel.toDevice(x.getDevice(), false), null,
			new Shape(1, 1), new Shape(mh - 1, mw - 1), 1);
		NDArray full = phases.reshape(n, out, sh, sw, qh, qw).transpose(0, 1, 4, 2, 5, 3).reshape(n, out, qh * sh, qw * sw);
		boolean inference = !ai.djl.pytorch.jni.JniUtils.isGradMode();
		if (inference) phases.close(); // the phases (4x the channels) are not needed once interleaved
		// output_padding may reach past what the phases cover; those rows hold only the bias.
		long needH = padding[0] + outH, needW = padding[1] + outW;
		if (needH > qh * sh || needW > qw * sw) {
			full = full.pad(new Shape(0, Math.max(0, needW - qw * sw), 0, Math.max(0, needH - qh * sh)), 0);
		}
		NDArray y = full.get(":, :, " + padding[0] + ":" + needH + ", " + padding[1] + ":" + needW);
		return bias == null ? y : y.add(bias.reshape(1, out, 1, 1));
	}

	/**
	 * The phases with their exact kernels, each a correlation of x padded by (taps - 1) before and (mH - 1)
	 * after, so that every phase has the uniform form's qh x qw outputs; as {@code [n, out * sH * sW, qh, qw]}.
	 */
	private NDArray exactPhases(NDArray x, long n, long qh, long qw) {
		ai.djl.ndarray.NDList all = new ai.djl.ndarray.NDList();
		for (NDArray k : exactPhases) {
			if (k == null) {
				all.add(x.getManager().zeros(new Shape(n, out, qh, qw), x.getDataType(), x.getDevice()));
				continue;
			}
			NDArray kernel = k.getDevice().equals(x.getDevice()) ? k : k.toDevice(x.getDevice(), false);
			long th = kernel.getShape().get(2), tw = kernel.getShape().get(3);
			NDArray padded = x.pad(new Shape(tw - 1, mw - 1, th - 1, mh - 1), 0);
			all.add(Convolutions.conv2d(padded, kernel, null, new Shape(1, 1), new Shape(0, 0), 1));
		}
		// [n, out, sH * sW, qh, qw], phases in (rh, rw) order, as the uniform kernel's channels are
		return ai.djl.ndarray.NDArrays.stack(all, 2).reshape(n, out * stride[0] * stride[1], qh, qw);
	}
}
