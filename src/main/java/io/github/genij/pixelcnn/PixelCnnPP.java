package io.github.genij.pixelcnn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.nn.module.ModuleList;

/**
 * PixelCNN++ (Salimans et al. 2017) as pclucas14/pixel-cnn-pp declares it: tensor paths are its state-dict
 * keys ({@code up_layers.0.ul_stream.1.nin_skip.lin_a.weight}; the files' weight norm is folded at import).
 * An image in [-1, 1] plus a channel of ones goes up through three resolutions (full, 1/2, 1/4) and back down,
 * on a vertical and a horizontal stream whose shifted convolutions keep every output pixel blind to itself and to
 * everything after it in raster order; {@code nin_out} turns the horizontal stream into the parameters of a
 * mixture of discretised logistics per pixel ({@link LogisticMixture}).
 * <p>
 * Fully convolutional: any height and width (the reference needs multiples of 4; see {@link ShiftedDeconv}).
 */
public final class PixelCnnPP extends PixelModel {

	public final int channels, blocks, filters, mixtures;
	// package-private: the row-by-row sampler (RowByRow) walks the same layers
	final ModuleList<PixelCnnStage> downLayers, upLayers;
	final ModuleList<ShiftedConv> downsizeU, downsizeUl;
	final ModuleList<ShiftedDeconv> upsizeU, upsizeUl;
	final ShiftedConv uInit;
	final ModuleList<ShiftedConv> ulInit;
	final Nin ninOut;

	/**
	 * @param channels image channels: 1 (grey) or 3 (RGB)
	 * @param blocks {@code nr_resnet}: gated blocks per stage (the down pass's last two stages have one more)
	 * @param filters {@code nr_filters}
	 * @param mixtures {@code nr_logistic_mix}
	 */
	public PixelCnnPP(int channels, int blocks, int filters, int mixtures) {
		this(channels, blocks, filters, mixtures, false);
	}

	/**
	 * @param weightNorm keep every layer's weight as weight norm's g and v, as the reference trains it (its state
	 *        dict then has the reference's {@code weight_g}/{@code weight_v} keys); false for inference (folded)
	 */
	public PixelCnnPP(int channels, int blocks, int filters, int mixtures, boolean weightNorm) {
		if (channels != 1 && channels != 3) throw new IllegalArgumentException("PixelCNN++ models 1 or 3 channels, not " + channels);
		this.channels = channels;
		this.blocks = blocks;
		this.filters = filters;
		this.mixtures = mixtures;
		downLayers = add("down_layers", new ModuleList<>());
		for (int i = 0; i < 3; i++) downLayers.append(PixelCnnStage.down(i == 0 ? blocks : blocks + 1, filters, weightNorm));
		upLayers = add("up_layers", new ModuleList<>());
		for (int i = 0; i < 3; i++) upLayers.append(PixelCnnStage.up(blocks, filters, weightNorm));
		downsizeU = add("downsize_u_stream", new ModuleList<>());
		downsizeUl = add("downsize_ul_stream", new ModuleList<>());
		upsizeU = add("upsize_u_stream", new ModuleList<>());
		upsizeUl = add("upsize_ul_stream", new ModuleList<>());
		for (int i = 0; i < 2; i++) {
			downsizeU.append(new ShiftedConv(ShiftedConv.Shift.DOWN, filters, filters, 2, 3, 2, false, weightNorm));
			downsizeUl.append(new ShiftedConv(ShiftedConv.Shift.DOWN_RIGHT, filters, filters, 2, 2, 2, false, weightNorm));
		}
		for (int i = 0; i < 2; i++) {
			upsizeU.append(new ShiftedDeconv(ShiftedConv.Shift.DOWN, filters, weightNorm));
			upsizeUl.append(new ShiftedDeconv(ShiftedConv.Shift.DOWN_RIGHT, filters, weightNorm));
		}
		uInit = add("u_init", new ShiftedConv(ShiftedConv.Shift.DOWN, channels + 1, filters, 2, 3, 1, true, weightNorm));
		ulInit = add("ul_init", new ModuleList<>());
		ulInit.append(new ShiftedConv(ShiftedConv.Shift.DOWN, channels + 1, filters, 1, 3, 1, true, weightNorm));
		ulInit.append(new ShiftedConv(ShiftedConv.Shift.DOWN_RIGHT, channels + 1, filters, 2, 1, 1, true, weightNorm));
		ninOut = add("nin_out", new Nin(filters, LogisticMixture.parametersPerMixture(channels) * mixtures, weightNorm));
	}

	/** The mixture parameters {@code [N, mixtures * (10 | 3), H, W]} of an image batch {@code [N, channels, H, W]} in [-1, 1]. */
	public NDArray forward(NDArray x) {
		return step(x, this::pass);
	}

	private NDArray pass(NDArray x) {
		Shape s = x.getShape();
		if (s.dimension() != 4 || s.get(1) != channels)
			throw new IllegalArgumentException("PixelCNN++ needs [N, " + channels + ", H, W]; got " + s);
		NDArray in = NDArrays.concat(new NDList(x, x.getManager().ones(new Shape(s.get(0), 1, s.get(2), s.get(3)), x.getDataType(),
			x.getDevice())), 1);
		List<NDArray> us = new ArrayList<>(), uls = new ArrayList<>();
		us.add(uInit.forward(in));
		uls.add(ulInit.items().get(0).forward(in).add(ulInit.items().get(1).forward(in)));
		for (int i = 0; i < 3; i++) {
			upLayers.items().get(i).up(last(us), last(uls), us, uls);
			if (i != 2) {
				us.add(downsizeU.items().get(i).forward(last(us)));
				uls.add(downsizeUl.items().get(i).forward(last(uls)));
			}
		}
		Deque<NDArray> uq = new ArrayDeque<>(us), ulq = new ArrayDeque<>(uls);
		NDArray u = uq.removeLast(), ul = ulq.removeLast();
		for (int i = 0; i < 3; i++) {
			NDArray[] both = downLayers.items().get(i).down(u, ul, uq, ulq);
			u = both[0];
			ul = both[1];
			if (i != 2) {
				Shape target = uq.getLast().getShape();
				u = upsizeU.items().get(i).forward(u, target.get(2), target.get(3));
				ul = upsizeUl.items().get(i).forward(ul, target.get(2), target.get(3));
			}
		}
		if (!uq.isEmpty() || !ulq.isEmpty()) throw new IllegalStateException("PixelCNN++: skips left over");
		return ninOut.forward(Activation.elu(ul, 1f));
	}

	@Override
	public int channels() {
		return channels;
	}

	@Override
	public String variant() {
		return PixelCnnFamily.PIXELCNN_PP;
	}

	@Override
	NDArray nats(Canvas images, NDManager manager, DataType type) {
		NDArray x = images.rows(manager, images.height, type);
		return LogisticMixture.nllPerPixel(x, forward(x));
	}

	/**
	 * What a whole-image pass keeps alive at its peak, roughly: the up pass's outputs (two streams, every block, at
	 * full resolution and a third more for the coarser ones) plus a few working arrays, float32.
	 */
	@Override
	long wholeImageBytes(int height, int width) {
		return 4L * height * width * filters * (long) (2.7 * (blocks + 1) + 12);
	}

	@Override
	public void draw(Canvas canvas, boolean[] mask, long seed, double temperature, NDManager manager, Progress progress, DataType type,
		PixelSampler.Passes passes)
	{
		new PixelSampler(this, type, passes).draw(canvas, mask, seed, temperature, manager, progress);
	}

	/** Switches dropout (the reference's Dropout2d(0.5) in every gated block) on, drawing from {@code r}; null: off. */
	@Override
	public void dropout(java.util.Random r) {
		for (GatedResnet g : modulesOf(GatedResnet.class)) g.dropout.draw(r);
	}

	private static NDArray last(List<NDArray> list) {
		return list.get(list.size() - 1);
	}

	@Override
	public String toString() {
		return "PixelCNN++ (" + (channels == 3 ? "RGB" : "grey") + ", nr_resnet " + blocks + ", nr_filters " + filters + ", " +
			mixtures + " logistics)";
	}
}
