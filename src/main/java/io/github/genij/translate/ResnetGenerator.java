package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.Dropout;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ReflectionPad;
import io.github.genij.core.nn.module.Sequential;

/**
 * CycleGAN's {@code ResnetGenerator(input_nc, output_nc, ngf, norm, use_dropout, n_blocks)}: 7x7 stem,
 * two stride-2 convolutions, n residual blocks, two transposed convolutions, 7x7 out and tanh, reflection
 * padding; keys {@code model.<i>...} as the reference names them.
 */
final class ResnetGenerator extends Generator {

	final int in, out, ngf, blocks;
	private final Sequential model;

	ResnetGenerator(int in, int out, int ngf, int blocks, boolean batchNorm, boolean dropout) {
		this.in = in;
		this.out = out;
		this.ngf = ngf;
		this.blocks = blocks;
		boolean bias = !batchNorm;
		model = add("model", new Sequential());
		model.append(new ReflectionPad(3));
		model.append(new Conv(in, ngf, 7, 1, 0, bias));
		model.append(norm(ngf, batchNorm));
		model.append(new Activations.ReLU());
		for (int i = 0; i < 2; i++) {
			int mult = 1 << i;
			model.append(new Conv(ngf * mult, ngf * mult * 2, 3, 2, 1, bias));
			model.append(norm(ngf * mult * 2, batchNorm));
			model.append(new Activations.ReLU());
		}
		for (int i = 0; i < blocks; i++) model.append(new Block(ngf * 4, batchNorm, dropout));
		for (int i = 0; i < 2; i++) {
			int mult = 1 << (2 - i);
			model.append(new ConvTranspose(ngf * mult, ngf * mult / 2, 3, 2, 1, 1, bias));
			model.append(norm(ngf * mult / 2, batchNorm));
			model.append(new Activations.ReLU());
		}
		model.append(new ReflectionPad(3));
		model.append(new Conv(ngf, out, 7, 1, 0, true));
		model.append(new Activations.Tanh());
	}

	private static Layer norm(int channels, boolean batchNorm) {
		return batchNorm ? new BatchNorm(channels).inPlace() : new InstanceNorm(channels, false);
	}

	/** The reference's {@code ResnetBlock}: x + conv_block(x), conv_block padded by reflection. */
	static final class Block extends Module implements Layer {
		private final Sequential convBlock;

		Block(int dim, boolean batchNorm, boolean dropout) {
			boolean bias = !batchNorm;
			convBlock = add("conv_block", new Sequential());
			convBlock.append(new ReflectionPad(1));
			convBlock.append(new Conv(dim, dim, 3, 1, 0, bias));
			convBlock.append(norm(dim, batchNorm));
			convBlock.append(new Activations.ReLU());
			if (dropout) convBlock.append(new Dropout());
			convBlock.append(new ReflectionPad(1));
			convBlock.append(new Conv(dim, dim, 3, 1, 0, bias));
			convBlock.append(norm(dim, batchNorm));
		}

		@Override
		public NDArray forward(NDArray x) {
			return x.add(convBlock.forward(x));
		}
	}

	@Override
	public NDArray forward(NDArray x) {
		return model.forward(x);
	}

	@Override
	int inputChannels() {
		return in;
	}

	@Override
	int outputChannels() {
		return out;
	}


}
