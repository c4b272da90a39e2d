package io.github.genij.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.github.genij.core.engine.CpuKernels;

/**
 * Every 2-D convolution GenIJ runs goes through here. libtorch 2.7.1's oneDNN vector kernels give wrong
 * forward results on some processors for input-channel counts above 8 that are not multiples of 8 (see
 * {@link CpuKernels}): where that is so, the input and weight get zero channels up to the next multiple of
 * 8, which leaves the result exactly as it should be and keeps the fast kernels. Differentiable.
 */
public final class Convolutions {

	private static final int BLOCK = 8;

	private Convolutions() {}

	/** {@code conv2d(x, w, bias, stride, padding)} with dilation 1 and one group. */
	public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, int stride, int padding) {
		return conv2d(x, w, bias, new Shape(stride, stride), new Shape(padding, padding), 1);
	}

	/** {@code conv2d} with dilation 1; {@code groups} as PyTorch's. */
	public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, int groups) {
		long in = w.getShape().get(1);
		if (groups == 1 && in > BLOCK && in % BLOCK != 0 && CpuKernels.padsChannels() &&
			ai.djl.Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
			long extra = BLOCK - in % BLOCK;
			Shape xs = x.getShape(), ws = w.getShape();
			x = NDArrays.concat(new NDList(x, x.getManager().zeros(new Shape(xs.get(0), extra, xs.get(2), xs.get(3)), x.getDataType(),
				x.getDevice())), 1);
			w = NDArrays.concat(new NDList(w, w.getManager().zeros(new Shape(ws.get(0), extra, ws.get(2), ws.get(3)), w.getDataType(),
				w.getDevice())), 1);
		}
		return Conv2d.conv2d(x, w, bias, stride, padding, new Shape(1, 1), groups).get(0);
	}

	/** Whether {@link #conv2d} pads an input of {@code channels} channels (and by how many). */
	public static long paddingFor(long channels, ai.djl.Device device) {
		if (channels <= BLOCK || channels % BLOCK == 0 || !CpuKernels.padsChannels() || !ai.djl.Device.Type.CPU.equals(device.getDeviceType())) return 0;
		return BLOCK - channels % BLOCK;
	}

	/**
	 * {@link #conv2d} for an input its caller already padded with {@link #paddingFor} zero channels, once for several
	 * convolutions that read it (SPADE's label map feeds every norm): only the weight gets the zero channels.
	 */
	public static NDArray conv2dPaddedInput(NDArray xPadded, NDArray w, NDArray bias, int stride, int padding) {
		long extra = xPadded.getShape().get(1) - w.getShape().get(1);
		if (extra > 0) {
			Shape ws = w.getShape();
			w = NDArrays.concat(new NDList(w, w.getManager().zeros(new Shape(ws.get(0), extra, ws.get(2), ws.get(3)), w.getDataType(), w.getDevice())), 1);
		}
		return Conv2d.conv2d(xPadded, w, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).get(0);
	}
}
