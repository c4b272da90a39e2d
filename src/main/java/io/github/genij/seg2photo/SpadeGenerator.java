package io.github.genij.seg2photo;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Linear;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Upsample;
import io.github.genij.core.nn.module.WeightAndBias;

/**
 * NVlabs/SPADE's {@code SPADEGenerator}, keyed as its {@code latest_net_G.pth}: the label map shrunk by
 * 2^n (n = 5, 6 or 7 for {@code num_upsampling_layers} normal, more, most) through a 3×3 convolution
 * ({@code fc}), or, for models trained with {@code --use_vae}, a linear layer from a 256-vector z; then
 * SPADE residual blocks with nearest ×2 up-sampling between them, lrelu, a 3×3 convolution to RGB and
 * tanh. The starting grid is the input's size divided by 2^n, so any multiple of 2^n comes out at its own
 * size.
 */
public final class SpadeGenerator extends Module {

	/** NVlabs/SPADE's {@code num_upsampling_layers}. */
	public enum Depth {
		NORMAL(5), MORE(6), MOST(7);

		public final int ups;

		Depth(int ups) {
			this.ups = ups;
		}
	}

	public final int labelChannels, ngf, zDim;
	public final Depth depth;
	private final Conv fcConv;
	private final Linear fcLinear;
	private final SpadeResnetBlock head0, middle0, middle1, up4;
	private final List<SpadeResnetBlock> ups = new ArrayList<>();
	private final Conv convImg;
	private final Upsample up;
	/** The VAE model's starting grid cells (its fc layer fixes them: the training size divided by 2^n, squared). */
	private final int vaeCells;

	/**
	 * @param zDim 0 for a label-driven model, else the VAE's latent size
	 * @param vaeCells the VAE model's starting grid cells (width × height), ignored otherwise
	 */
	public SpadeGenerator(int labelChannels, int ngf, Depth depth, int zDim, int vaeCells) {
		this(labelChannels, ngf, depth, zDim, vaeCells, false);
	}

	/**
	 * A label-driven generator for training: the blocks' convolutions keep spectral norm as the reference trains
	 * them, and the weights initialise as its {@code init_weights('xavier', 0.02)} does.
	 */
	static SpadeGenerator forTraining(int labelChannels, int ngf, Depth depth) {
		SpadeGenerator g = new SpadeGenerator(labelChannels, ngf, depth, 0, 0, true);
		for (WeightAndBias layer : g.modulesOf(WeightAndBias.class))
			layer.init(Init.xavierNormal(0.02), Init.zeros());
		return g;
	}

	private SpadeGenerator(int labelChannels, int ngf, Depth depth, int zDim, int vaeCells, boolean spectral) {
		this.labelChannels = labelChannels;
		this.ngf = ngf;
		this.depth = depth;
		this.zDim = zDim;
		this.vaeCells = vaeCells;
		int nf = ngf;
		fcLinear = zDim > 0 ? add("fc", new Linear(zDim, 16 * nf * vaeCells, true)) : null;
		fcConv = zDim > 0 ? null : add("fc", new Conv(labelChannels, 16 * nf, 3, 1, 1, true));
		head0 = add("head_0", new SpadeResnetBlock(16 * nf, 16 * nf, labelChannels, SpadeNorm.Naming.SPADE, spectral));
		middle0 = add("G_middle_0", new SpadeResnetBlock(16 * nf, 16 * nf, labelChannels, SpadeNorm.Naming.SPADE, spectral));
		middle1 = add("G_middle_1", new SpadeResnetBlock(16 * nf, 16 * nf, labelChannels, SpadeNorm.Naming.SPADE, spectral));
		int[] widths = { 16 * nf, 8 * nf, 4 * nf, 2 * nf, nf };
		for (int i = 0; i < 4; i++) ups.add(add("up_" + i, new SpadeResnetBlock(widths[i], widths[i + 1], labelChannels, SpadeNorm.Naming.SPADE, spectral)));
		up4 = depth == Depth.MOST ? add("up_4", new SpadeResnetBlock(nf, nf / 2, labelChannels, SpadeNorm.Naming.SPADE, spectral)) : null;
		convImg = add("conv_img", new Conv(depth == Depth.MOST ? nf / 2 : nf, 3, 3, 1, 1, true));
		up = add("up", new Upsample(2));
	}

	/** Sides of the input must be multiples of this. */
	public int multiple() {
		return 1 << depth.ups;
	}

	/**
	 * The image {@code [1, 3, H, W]} in about -1..1 for the one-hot label map {@code seg} ({@code [1, labelChannels,
	 * H, W]}, H and W multiples of {@link #multiple()}); {@code z} ({@code [1, zDim]}) for VAE models, else null.
	 */
	public NDArray forward(NDArray seg, NDArray z) {
		long h = seg.getShape().get(2), w = seg.getShape().get(3);
		Labels labels = new Labels(seg);
		NDArray x;
		if (fcLinear != null) {
			if (z == null) throw new GenIJException("This SPADE model was trained with --use_vae: it needs a style image or a seed.");
			long gh = h >> depth.ups, gw = w >> depth.ups;
			if (h % multiple() != 0 || w % multiple() != 0 || gh * gw != vaeCells) {
				throw new GenIJException("This SPADE model (--use_vae) makes images of " + vaeCells + " cells of " + multiple() + "x" +
					multiple() + " px (its training size): give a label image of that size.");
			}
			x = fcLinear.forward(z).reshape(new Shape(1, 16L * ngf, gh, gw));
		}
		else {
			if (h % multiple() != 0 || w % multiple() != 0) throw new GenIJException("SPADE needs sides that are multiples of " + multiple() + ".");
			x = fcConv.forward(labels.at(h >> depth.ups, w >> depth.ups));
		}
		x = head0.forward(x, labels);
		x = up.forward(x);
		x = middle0.forward(x, labels);
		if (depth != Depth.NORMAL) x = up.forward(x);
		x = middle1.forward(x, labels);
		for (SpadeResnetBlock b : ups) x = b.forward(up.forward(x), labels);
		if (up4 != null) x = up4.forward(up.forward(x), labels);
		return convImg.forward(SpadeNorm.lrelu(x)).tanh();
	}
}
