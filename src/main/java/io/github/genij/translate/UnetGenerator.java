package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.github.genij.core.weights.CheckpointException;

/**
 * pix2pix's UnetGenerator: nested skip blocks, each a stride-2 4x4 convolution down and a transposed
 * convolution up, the block's input concatenated to its output. As in the reference, whose first layer
 * of every inner block is an in-place LeakyReLU, the skip connection carries LeakyReLU(x), not x:
 * released weights were trained that way.
 */
final class UnetGenerator implements Generator {

	private final GeneratorLayers layers;
	private final Block outermost;
	private final int downs;

	private final class Block {
		final GeneratorLayers.Conv down;
		final GeneratorLayers.Deconv up;
		final GeneratorLayers.Norm downNorm, upNorm;
		final Block inner;
		final boolean isOutermost, dropout;

		Block(String prefix, boolean isOutermost) {
			this.isOutermost = isOutermost;
			if (isOutermost) {
				down = layers.conv(prefix + ".0", 2, 1);
				inner = new Block(prefix + ".1.model", false);
				up = layers.deconv(prefix + ".3", 2, 1, 0);
				downNorm = null;
				upNorm = null;
				dropout = false;
			}
			else if (layers.has(prefix + ".3.weight")) { // innermost: [LeakyReLU, down, ReLU, up, norm]
				down = layers.conv(prefix + ".1", 2, 1);
				inner = null;
				up = layers.deconv(prefix + ".3", 2, 1, 0);
				downNorm = null;
				upNorm = layers.norm(prefix + ".4");
				dropout = false;
			}
			else { // [LeakyReLU, down, norm, inner, ReLU, up, norm, (dropout)]
				down = layers.conv(prefix + ".1", 2, 1);
				downNorm = layers.norm(prefix + ".2");
				inner = new Block(prefix + ".3.model", false);
				up = layers.deconv(prefix + ".5", 2, 1, 0);
				upNorm = layers.norm(prefix + ".6");
				// the reference adds dropout to the ngf*8 -> ngf*8 blocks made in its loop
				dropout = down.inChannels() == down.outChannels();
			}
		}

		int depth() {
			return inner == null ? 1 : 1 + inner.depth();
		}

		/**
		 * In inference each stage runs as a {@link GeneratorLayers#step}: what stays alive at once is the
		 * skip tensors of the blocks above and one stage's working set.
		 */
		NDArray forward(NDArray x) {
			if (isOutermost) {
				NDArray y = layers.step(x, down::apply);
				y = layers.stepAndFree(y, inner::forward);
				return layers.stepAndFree(y, v -> up.apply(Activation.relu(v)).tanh());
			}
			NDArray a = Activation.leakyRelu(x, 0.2f);
			NDArray y = layers.step(a, v -> downNorm == null ? down.apply(v) : downNorm.apply(down.apply(v)));
			if (inner != null) y = layers.stepAndFree(y, inner::forward);
			y = layers.stepAndFree(y, v -> {
				NDArray u = upNorm.apply(up.apply(Activation.relu(v)));
				return dropout ? layers.dropout(u) : u;
			});
			return NDArrays.concat(new NDList(a, y), 1);
		}
	}

	UnetGenerator(GeneratorLayers l) {
		this.layers = l;
		if (!l.has("model.model.0.weight")) throw new CheckpointException("Not a U-Net generator: model.model.0.weight is missing.");
		outermost = new Block("model.model", true);
		downs = outermost.depth();
	}

	@Override
	public NDArray forward(NDArray x) {
		return outermost.forward(x);
	}

	@Override
	public GeneratorLayers layers() {
		return layers;
	}

	@Override
	public int inputChannels() {
		return (int) outermost.down.inChannels();
	}

	@Override
	public int outputChannels() {
		return (int) layers.shape("model.model.3.weight")[1];
	}

	@Override
	public int multiple() {
		return 1 << downs;
	}

	@Override
	public int halo() {
		return 64;
	}

	@Override
	public void close() {
		layers.close();
	}
}
