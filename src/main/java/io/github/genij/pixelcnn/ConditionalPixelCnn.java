package io.github.genij.pixelcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ModuleList;

/**
 * The PixelCNN of one step of Kolesnikov &amp; Lampert's auxiliary-variable models (their {@code PyramidPixelCNN}
 * function): a shallow causal stack, since the auxiliary image already carries the image's layout. The first
 * layers are PixelCNN++'s ({@code u_init}, {@code ul_init}); then {@code blocks} gated blocks per stream with 3x3
 * shifted convolutions, where the vertical stream reads the conditioning features and the horizontal one the
 * vertical stream and the features (1x1, as {@code nin_skip}); {@code nin_out} gives the mixture parameters.
 * Without a conditioning network (the pyramid's coarsest level) it is a small unconditional PixelCNN.
 */
final class ConditionalPixelCnn extends Module {

	final int channels, filters, mixtures;
	/** null: unconditional */
	final ConditioningNet conditioning;
	final ShiftedConv uInit;
	final ModuleList<ShiftedConv> ulInit;
	final ModuleList<GatedResnet> uStream, ulStream;
	final Nin ninOut;

	/**
	 * @param auxChannels the auxiliary image's channels; 0 for none (unconditional)
	 * @param upscale the auxiliary image is half this one's size (pyramid)
	 * @param levels, auxBlocks the conditioning network's resolutions and blocks per resolution
	 */
	ConditionalPixelCnn(int channels, int auxChannels, boolean upscale, int filters, int blocks, int mixtures, int levels, int auxBlocks,
		boolean weightNorm)
	{
		this.channels = channels;
		this.filters = filters;
		this.mixtures = mixtures;
		boolean conditioned = auxChannels > 0;
		conditioning = conditioned ? add("conditioning", new ConditioningNet(auxChannels, filters, levels, auxBlocks, upscale, weightNorm)) : null;
		uInit = add("u_init", new ShiftedConv(ShiftedConv.Shift.DOWN, channels + 1, filters, 2, 3, 1, true, weightNorm));
		ulInit = add("ul_init", new ModuleList<>());
		ulInit.append(new ShiftedConv(ShiftedConv.Shift.DOWN, channels + 1, filters, 1, 3, 1, true, weightNorm));
		ulInit.append(new ShiftedConv(ShiftedConv.Shift.DOWN_RIGHT, channels + 1, filters, 2, 1, 1, true, weightNorm));
		uStream = add("u_stream", new ModuleList<>());
		ulStream = add("ul_stream", new ModuleList<>());
		for (int i = 0; i < blocks; i++) {
			uStream.append(new GatedResnet(filters, ShiftedConv.Shift.DOWN, 3, 3, conditioned ? 1 : 0, weightNorm));
			ulStream.append(new GatedResnet(filters, ShiftedConv.Shift.DOWN_RIGHT, 3, 3, conditioned ? 2 : 1, weightNorm));
		}
		ninOut = add("nin_out", new Nin(filters, LogisticMixture.parametersPerMixture(channels) * mixtures, weightNorm));
	}

	int blocks() {
		return uStream.size();
	}

	/** The conditioning features for an image of {@code height x width}; null when unconditional. */
	NDArray features(NDArray aux, long height, long width) {
		return conditioning == null ? null : conditioning.forward(aux, height, width);
	}

	/** The mixture parameters of {@code x} ({@code [N, C, H, W]} in [-1, 1]) given the features (null when unconditional). */
	NDArray forward(NDArray x, NDArray features) {
		return forward(x, features, ShiftedConv::forward);
	}

	/** The pass with the stack's convolutions applied by {@code conv} (row by row: {@link ConditionalRows}). */
	NDArray forward(NDArray x, NDArray features, ShiftedConv.Applier conv) {
		Shape s = x.getShape();
		if (s.dimension() != 4 || s.get(1) != channels)
			throw new IllegalArgumentException("this PixelCNN needs [N, " + channels + ", H, W]; got " + s);
		NDArray in = NDArrays.concat(new NDList(x, x.getManager().ones(new Shape(s.get(0), 1, s.get(2), s.get(3)), x.getDataType(),
			x.getDevice())), 1);
		NDArray u = conv.apply(uInit, in);
		NDArray ul = conv.apply(ulInit.items().get(0), in).add(conv.apply(ulInit.items().get(1), in));
		for (int i = 0; i < blocks(); i++) {
			u = uStream.items().get(i).forward(u, features, conv);
			ul = ulStream.items().get(i).forward(ul, features == null ? u : NDArrays.concat(new NDList(u, features), 1), conv);
		}
		return ninOut.forward(Activation.elu(ul, 1f));
	}

	/** Switches dropout on (drawing from {@code r}) or off (null). */
	void dropout(java.util.Random r) {
		for (GatedResnet g : modulesOf(GatedResnet.class)) g.dropout.draw(r);
	}
}
