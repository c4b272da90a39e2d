package io.github.genij.translate;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.Padding;

/**
 * CycleGAN's ResnetGenerator: 7x7 stem, two stride-2 convolutions, n residual blocks, two transposed
 * convolutions, 7x7 out and tanh; reflection padding; keys {@code model.<i>...} as the reference names
 * them.
 */
final class ResnetGenerator implements Generator {

	private final GeneratorLayers layers;
	private final GeneratorLayers.Conv stem, down1, down2, out;
	private final GeneratorLayers.Norm n0, n1, n2, u1n, u2n;
	private final GeneratorLayers.Deconv up1, up2;
	private final List<Block> blocks = new ArrayList<>();

	private static final class Block {
		GeneratorLayers.Conv c1, c2;
		GeneratorLayers.Norm n1, n2;
		boolean dropout;
	}

	ResnetGenerator(GeneratorLayers l, int nBlocks) {
		this.layers = l;
		stem = l.conv("model.1", 1, 0);
		n0 = l.norm("model.2");
		down1 = l.conv("model.4", 2, 1);
		n1 = l.norm("model.5");
		down2 = l.conv("model.7", 2, 1);
		n2 = l.norm("model.8");
		for (int i = 0; i < nBlocks; i++) {
			String p = "model." + (10 + i) + ".conv_block.";
			Block b = new Block();
			// with dropout the second convolution sits at 6 (a 4-D weight), without it at 5
			b.dropout = l.has(p + "6.weight") && l.shape(p + "6.weight").length == 4;
			int second = b.dropout ? 6 : 5;
			b.c1 = l.conv(p + "1", 1, 0);
			b.n1 = l.norm(p + "2");
			b.c2 = l.conv(p + second, 1, 0);
			b.n2 = l.norm(p + (second + 1));
			blocks.add(b);
		}
		int u = 10 + nBlocks;
		up1 = l.deconv("model." + u, 2, 1, 1);
		u1n = l.norm("model." + (u + 1));
		up2 = l.deconv("model." + (u + 3), 2, 1, 1);
		u2n = l.norm("model." + (u + 4));
		out = l.conv("model." + (u + 7), 1, 0);
	}

	/** In inference each stage is a {@link GeneratorLayers#step}, freed as soon as the next one has its input. */
	@Override
	public NDArray forward(NDArray x) {
		NDArray y = layers.step(x, v -> Activation.relu(n0.apply(stem.apply(Padding.reflect(v, 3)))));
		y = layers.stepAndFree(y, v -> Activation.relu(n1.apply(down1.apply(v))));
		y = layers.stepAndFree(y, v -> Activation.relu(n2.apply(down2.apply(v))));
		for (Block b : blocks) {
			y = layers.stepAndFree(y, v -> {
				NDArray z = Activation.relu(b.n1.apply(b.c1.apply(Padding.reflect(v, 1))));
				if (b.dropout) z = layers.dropout(z);
				return v.add(b.n2.apply(b.c2.apply(Padding.reflect(z, 1))));
			});
		}
		y = layers.stepAndFree(y, v -> Activation.relu(u1n.apply(up1.apply(v))));
		y = layers.stepAndFree(y, v -> Activation.relu(u2n.apply(up2.apply(v))));
		return layers.stepAndFree(y, v -> out.apply(Padding.reflect(v, 3)).tanh());
	}

	@Override
	public GeneratorLayers layers() {
		return layers;
	}

	@Override
	public int inputChannels() {
		return (int) stem.inChannels();
	}

	@Override
	public int outputChannels() {
		return (int) out.outChannels();
	}

	@Override
	public int multiple() {
		return 4;
	}

	@Override
	public int halo() {
		return 96;
	}

	@Override
	public void close() {
		layers.close();
	}
}
