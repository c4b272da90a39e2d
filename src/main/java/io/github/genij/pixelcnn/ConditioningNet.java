package io.github.genij.pixelcnn;

import java.util.ArrayDeque;
import java.util.Deque;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ModuleList;

/**
 * Kolesnikov &amp; Lampert's conditioning network: it reads the whole auxiliary image (the 4-bit grey image, or the
 * next coarser pyramid level), which is known before any pixel of the image it conditions is drawn, so it needs no
 * causality. A U-shaped stack of gated blocks with centred 3x3 convolutions: {@code levels} resolutions down
 * (stride-2 convolutions between them), each with {@code blocks} blocks whose outputs are kept as skips, then back
 * up through transposed stride-2 convolutions, each block taking its skip; the pyramid's network goes up one
 * resolution further (twice the auxiliary image's size, the size of the level it conditions) with blocks that take
 * no skip. {@code conv_representation} gives the features the causal stack reads at every pixel.
 */
final class ConditioningNet extends Module {

	private final Conv convFirst, convRepresentation;
	private final ModuleList<GatedResnet> downBlocks, upBlocks;
	private final ModuleList<Conv> downsample;
	private final ModuleList<ConvTranspose> upsample;
	private final int levels, blocks;
	final boolean upscale;

	/**
	 * @param inChannels the auxiliary image's channels
	 * @param upscale true: the features come out at twice the auxiliary image's size (pyramid); false: at its size
	 */
	ConditioningNet(int inChannels, int filters, int levels, int blocks, boolean upscale, boolean weightNorm) {
		this.levels = levels;
		this.blocks = blocks;
		this.upscale = upscale;
		convFirst = add("conv_first", new Conv(inChannels, filters, 3, 3, 1, true, 1, weightNorm));
		downBlocks = add("down_blocks", new ModuleList<>());
		for (int i = 0; i < levels * blocks; i++) downBlocks.append(centredBlock(filters, 0, weightNorm));
		downsample = add("downsample", new ModuleList<>());
		for (int i = 0; i < levels - 1; i++) downsample.append(new Conv(filters, filters, 3, 3, 2, true, 1, weightNorm));
		int ups = upscale ? levels + 1 : levels;
		upBlocks = add("up_blocks", new ModuleList<>());
		for (int i = 0; i < ups * blocks; i++) upBlocks.append(centredBlock(filters, i < levels * blocks ? 1 : 0, weightNorm));
		upsample = add("upsample", new ModuleList<>());
		for (int i = 0; i < ups - 1; i++) upsample.append(new ConvTranspose(filters, filters, 3, 3, 2, 1, 1, true, weightNorm));
		convRepresentation = add("conv_representation", new Conv(filters, filters, 3, 3, 1, true, 1, weightNorm));
	}

	private static GatedResnet centredBlock(int filters, int skipStreams, boolean weightNorm) {
		return new GatedResnet(filters, ShiftedConv.Shift.NONE, 3, 3, skipStreams, weightNorm);
	}

	/**
	 * The features {@code [N, filters, height, width]} of the auxiliary image {@code aux} ({@code [N, C, h, w]} in
	 * [-1, 1]); {@code height x width} is the conditioned image's size (up-sampled streams are cut to it, and to each
	 * skip's size, so odd sizes work).
	 */
	NDArray forward(NDArray aux, long height, long width) {
		NDArray x = convFirst.forward(aux);
		Deque<NDArray> skips = new ArrayDeque<>();
		int b = 0;
		for (int i = 0; i < levels; i++) {
			for (int j = 0; j < blocks; j++) {
				x = downBlocks.items().get(b++).forward(x, null);
				skips.push(x);
			}
			if (i < levels - 1) x = downsample.items().get(i).forward(x);
		}
		b = 0;
		int ups = upscale ? levels + 1 : levels;
		for (int i = 0; i < ups; i++) {
			for (int j = 0; j < blocks; j++) x = upBlocks.items().get(b++).forward(x, skips.isEmpty() ? null : skips.pop());
			if (i < ups - 1) {
				x = upsample.items().get(i).forward(x);
				long h = skips.isEmpty() ? height : skips.peek().getShape().get(2), w = skips.isEmpty() ? width : skips.peek().getShape().get(3);
				x = x.get(":, :, :" + h + ", :" + w); // a coarse side of ceil(n / 2) doubles to n or n + 1
			}
		}
		return convRepresentation.forward(x);
	}
}
