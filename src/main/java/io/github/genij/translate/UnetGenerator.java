package io.github.genij.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.Dropout;
import io.github.genij.core.nn.module.InstanceNorm;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;

/**
 * pix2pix's {@code UnetGenerator(input_nc, output_nc, num_downs, ngf, norm, use_dropout)}: nested
 * {@code UnetSkipConnectionBlock}s, each a stride-2 4x4 convolution down and a transposed convolution up,
 * the block's input concatenated to its output. As in the reference, whose first layer of every inner
 * block is an in-place LeakyReLU, the skip connection carries LeakyReLU(x), not x: released weights were
 * trained that way. Keys: {@code model.model.0.weight}, {@code model.model.1.model.1.weight}, ...
 */
final class UnetGenerator extends Generator {

	final int in, out, numDowns, ngf;
	private final Block model;

	UnetGenerator(int in, int out, int numDowns, int ngf, boolean batchNorm, boolean dropout) {
		if (numDowns < 5) throw new IllegalArgumentException("a reference U-Net has at least 5 downsamplings, not " + numDowns);
		this.in = in;
		this.out = out;
		this.numDowns = numDowns;
		this.ngf = ngf;
		// the reference builds inside out: innermost 8ngf, (numDowns - 5) more 8ngf blocks (with dropout),
		// then 8ngf->4ngf, 4ngf->2ngf, 2ngf->ngf, and the outermost block
		Block b = new Block(ngf * 8, ngf * 8, ngf * 8, null, Kind.INNERMOST, batchNorm, false);
		for (int i = 0; i < numDowns - 5; i++) b = new Block(ngf * 8, ngf * 8, ngf * 8, b, Kind.MIDDLE, batchNorm, dropout);
		b = new Block(ngf * 4, ngf * 8, ngf * 4, b, Kind.MIDDLE, batchNorm, false);
		b = new Block(ngf * 2, ngf * 4, ngf * 2, b, Kind.MIDDLE, batchNorm, false);
		b = new Block(ngf, ngf * 2, ngf, b, Kind.MIDDLE, batchNorm, false);
		model = add("model", new Block(out, ngf, in, b, Kind.OUTERMOST, batchNorm, false));
	}

	enum Kind { OUTERMOST, MIDDLE, INNERMOST }

	/** The reference's {@code UnetSkipConnectionBlock(outer_nc, inner_nc, input_nc, submodule, ...)}. */
	static final class Block extends Module implements Layer {
		private final Kind kind;
		private final Sequential model;

		Block(int outer, int inner, int input, Block sub, Kind kind, boolean batchNorm, boolean dropout) {
			this.kind = kind;
			boolean bias = !batchNorm; // the reference's use_bias: convolutions followed by batch norm have none
			model = add("model", new Sequential());
			switch (kind) {
				case OUTERMOST:
					model.append(new Conv(input, inner, 4, 2, 1, bias));
					model.append(sub);
					model.append(new Activations.ReLU());
					model.append(new ConvTranspose(inner * 2, outer, 4, 2, 1, 0, true));
					model.append(new Activations.Tanh());
					break;
				case INNERMOST:
					model.append(new Activations.LeakyReLU(0.2f));
					model.append(new Conv(input, inner, 4, 2, 1, bias));
					model.append(new Activations.ReLU());
					model.append(new ConvTranspose(inner, outer, 4, 2, 1, 0, bias));
					model.append(norm(outer, batchNorm));
					break;
				default:
					model.append(new Activations.LeakyReLU(0.2f));
					model.append(new Conv(input, inner, 4, 2, 1, bias));
					model.append(norm(inner, batchNorm));
					model.append(sub);
					model.append(new Activations.ReLU());
					model.append(new ConvTranspose(inner * 2, outer, 4, 2, 1, 0, bias));
					model.append(norm(outer, batchNorm));
					if (dropout) model.append(new Dropout());
			}
		}

		private static Layer norm(int channels, boolean batchNorm) {
			// every norm here follows a fresh (transposed) convolution output: in place is safe
			return batchNorm ? new BatchNorm(channels).inPlace() : new InstanceNorm(channels, false);
		}

		/**
		 * Stage by stage (each a {@link Module#step}): what stays alive at once is the skip tensors of the
		 * blocks above and one stage's working set.
		 */
		@Override
		public NDArray forward(NDArray x) {
			if (kind == Kind.OUTERMOST) return model.forward(x);
			NDArray a = model.get(0).forward(x); // LeakyReLU(x): the skip carries it
			NDArray y = model.forward(a, 1, model.size());
			return NDArrays.concat(new NDList(a, y), 1);
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
