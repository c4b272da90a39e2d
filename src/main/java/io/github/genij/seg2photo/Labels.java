package io.github.genij.seg2photo;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;

/**
 * The label map a SPADE network reads at every scale: the one-hot input {@code [1, C, H, W]} resized as
 * PyTorch's {@code interpolate(mode='nearest')} does (source pixel ⌊dst·in/out⌋), which for the scales
 * these networks use (the size divided by a power of 2) is every 2^k-th pixel. Each scale is made once.
 */
final class Labels {

	private final NDArray full;
	private final Map<Long, NDArray> scales = new HashMap<>();

	Labels(NDArray full) {
		this.full = full;
	}

	NDArray full() {
		return full;
	}

	private final Map<Long, NDArray> padded = new HashMap<>();

	/**
	 * {@link #at} with zero channels appended where the convolutions would append them at every call (see
	 * {@code Convolutions.paddingFor}): the label map feeds every SPADE norm's first convolution, so it is padded once per
	 * scale instead.
	 */
	NDArray atPadded(long h, long w) {
		NDArray map = at(h, w);
		long extra = io.github.genij.core.nn.Convolutions.paddingFor(map.getShape().get(1), map.getDevice());
		if (extra == 0) return map;
		return padded.computeIfAbsent(h, k -> {
			Shape s = map.getShape();
			return NDArrays.concat(new NDList(map, map.getManager().zeros(new Shape(s.get(0), extra, s.get(2), s.get(3)), map.getDataType(),
				map.getDevice())), 1);
		});
	}

	NDArray at(long h, long w) {
		long fh = full.getShape().get(2), fw = full.getShape().get(3);
		if (h == fh && w == fw) return full;
		if (fh % h != 0 || fw % w != 0 || fh / h != fw / w) {
			throw new GenIJException("The label map (" + fw + "x" + fh + ") does not divide into " + w + "x" + h + ".");
		}
		long step = fh / h;
		return scales.computeIfAbsent(step, s -> full.get(":, :, ::" + s + ", ::" + s));
	}
}
