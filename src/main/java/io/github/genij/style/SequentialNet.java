package io.github.genij.style;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.github.genij.core.nn.Padding;
import io.github.genij.core.nn.Upsampling;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.WeightTensor;

/**
 * A PyTorch {@code nn.Sequential} of convolutions, reflection pads, ReLUs, max-pools and nearest
 * up-sampling, described by a short spec such as {@code "c0 p c2 r m u"} whose {@code c<i>} names module
 * i's weights ({@code <i>.weight}, {@code <i>.bias}) as the state dict keys them. AdaIN's encoder and
 * decoder are such networks; their released files are state dicts keyed by module index.
 */
final class SequentialNet implements AutoCloseable {

	private final String[] ops;
	private final Map<String, NDArray[]> convs = new LinkedHashMap<>();
	private final NDManager manager;

	SequentialNet(String spec, Map<String, WeightTensor> sd, String what, NDManager parent) {
		this.ops = spec.trim().split("\\s+");
		this.manager = parent.newSubManager();
		for (String op : ops) {
			if (!op.startsWith("c")) continue;
			String i = op.substring(1);
			WeightTensor w = sd.get(i + ".weight"), b = sd.get(i + ".bias");
			if (w == null || b == null) {
				manager.close();
				throw new CheckpointException("This is not " + what + ": it lacks " + i + ".weight or " + i + ".bias.");
			}
			convs.put(i, new NDArray[] { w.toNDArray(manager), b.toNDArray(manager) });
		}
	}

	/** Channels of the first convolution's input. */
	long inputChannels() {
		return convs.values().iterator().next()[0].getShape().get(1);
	}

	NDArray forward(NDArray x) {
		NDArray y = x;
		Shape one = new Shape(1, 1), none = new Shape(0, 0);
		for (String op : ops) {
			switch (op.charAt(0)) {
				case 'c': {
					NDArray[] wb = convs.get(op.substring(1));
					y = Conv2d.conv2d(y, on(wb[0], y), on(wb[1], y), one, none, one).get(0);
					break;
				}
				case 'p': y = Padding.reflect(y, 1); break;
				case 'r': y = Activation.relu(y); break;
				case 'm': y = Pool.maxPool2d(y, new Shape(2, 2), new Shape(2, 2), none, true); break;
				case 'u': y = Upsampling.nearest(y, 2); break;
				default: throw new IllegalStateException("unknown op " + op);
			}
		}
		return y;
	}

	private static NDArray on(NDArray w, NDArray like) {
		return w.getDevice().equals(like.getDevice()) ? w : w.toDevice(like.getDevice(), false);
	}

	@Override
	public void close() {
		manager.close();
	}
}
