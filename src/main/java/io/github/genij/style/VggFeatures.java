package io.github.genij.style;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Activations;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.MaxPool;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Sequential;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.WeightTensor;

/**
 * The VGG-19 convolution stack that Gatys style transfer measures images with: 16 3x3 convolutions with
 * ReLU in five blocks, 2x2 pooling between blocks. Layers are named as in Gatys' code: {@code r11} is the
 * ReLU after {@code conv1_1}, {@code r42} after {@code conv4_2}.
 * <p>
 * Weights come from Gatys' {@code vgg_conv.pth} ({@code conv1_1.weight}, ..., Caffe BGR preset), from
 * torchvision's {@code vgg19} ({@code features.0.weight}, ..., ImageNet preset), or are the built-in
 * random filters of {@link #builtin}. The module tree follows the naming: convolutions {@code conv1_1}
 * ... at the root for Gatys' file, inside a {@code features} Sequential for torchvision's.
 */
public final class VggFeatures extends Module implements Layer {

	/** conv names per block, in order. */
	static final String[][] BLOCKS = { { "1_1", "1_2" }, { "2_1", "2_2" }, { "3_1", "3_2", "3_3", "3_4" },
		{ "4_1", "4_2", "4_3", "4_4" }, { "5_1", "5_2", "5_3", "5_4" } };
	static final int[] VGG19_WIDTHS = { 64, 128, 256, 512, 512 };

	/** The seed of the built-in random filters: changing it changes every result made with them. */
	public static final long BUILTIN_SEED = 20160605L;
	/** The built-in network is VGG-19 at a quarter of its widths: 16x cheaper, still five scales. */
	public static final int BUILTIN_WIDTH_DIVISOR = 4;

	/** How the weights are keyed. */
	enum Naming { GATYS, TORCHVISION }

	private final Map<String, Conv> convs = new LinkedHashMap<>();
	/** The max-pooling before each block after the first. */
	private final List<MaxPool> pools = new ArrayList<>();
	private final ValuePreset preset;
	private final boolean averagePooling;
	private String description;

	/** The VGG-19 convolution stack at the given block widths, keyed as {@code naming} keys it, without weights. */
	VggFeatures(Naming naming, int[] widths, boolean averagePooling) {
		this.preset = naming == Naming.GATYS ? ValuePreset.CAFFE_BGR : ValuePreset.IMAGENET;
		this.averagePooling = averagePooling;
		this.description = naming == Naming.GATYS ? "VGG-19 (Gatys' vgg_conv)" : "VGG-19 (torchvision)";
		Sequential features = naming == Naming.TORCHVISION ? add("features", new Sequential()) : null;
		int in = 3;
		for (int b = 0; b < BLOCKS.length; b++) {
			if (b > 0) pools.add(features != null ? features.append(new MaxPool(2, false)) : add("pool" + (b + 1), new MaxPool(2, false)));
			for (String name : BLOCKS[b]) {
				Conv c = new Conv(in, widths[b], 3, 1, 1, true);
				if (features != null) {
					features.append(c);
					features.append(new Activations.ReLU());
				}
				else add("conv" + name, c);
				convs.put("conv" + name, c);
				in = widths[b];
			}
		}
	}

	/** The value convention inputs must be in. */
	public ValuePreset preset() {
		return preset;
	}

	public String description() {
		return description;
	}

	/** Channels of a layer's output ({@code r11} -> 64 for VGG-19). */
	public long channels(String layer) {
		return convs.get(convName(layer)).out;
	}

	/**
	 * GenIJ's default, needing no download: the VGG-19 topology with a quarter of the channels and random
	 * filters, drawn from a fixed seed with Java's own generator (so every machine builds the same network):
	 * He-normal weights, zero biases, each filter's mean removed except in the first layer. Random convolutional
	 * features still capture texture statistics across the five scales (Ustyuzhaninov et al. 2017; He et al.
	 * 2016), so style transfer works, but the result reproduces colours and local texture rather than the
	 * semantic brush strokes a trained VGG transfers. The first layer keeps its filters' means so that flat
	 * colour reaches the features: with zero-mean filters there the Gram matrices could not see a style's palette,
	 * and results stayed the content image (measured with {@link PatchStatistics}: 0.97 of the content's distance
	 * from the style left, against 0.23 with colour-seeing first filters).
	 */
	public static VggFeatures builtin(NDManager parent) {
		int[] widths = new int[VGG19_WIDTHS.length];
		for (int b = 0; b < widths.length; b++) widths[b] = VGG19_WIDTHS[b] / BUILTIN_WIDTH_DIVISOR;
		VggFeatures vgg = new VggFeatures(Naming.GATYS, widths, false);
		boolean first = true;
		for (Conv c : vgg.convs.values()) {
			c.init(first ? Init.normal(0, Math.sqrt(2.0 / (c.in * 9))) : zeroMeanHeNormal(c.in * 9), Init.zeros());
			first = false;
		}
		vgg.initialise(BUILTIN_SEED, parent);
		vgg.train(false);
		// Caffe's value range (0..255, mean removed), as Gatys' VGG: his layer weights 1e3/n^2 assume that scale.
		vgg.description = "built-in random VGG-19 (quarter width, seed " + BUILTIN_SEED + ")";
		return vgg;
	}

	/** He-normal filters of {@code fanIn} taps with each filter's mean removed. */
	private static Init zeroMeanHeNormal(int fanIn) {
		double std = Math.sqrt(2.0 / fanIn);
		return (w, shape, random) -> {
			int out = (int) shape[0];
			for (int o = 0; o < out; o++) {
				double mean = 0;
				for (int i = 0; i < fanIn; i++) mean += w[o * fanIn + i] = (float) (random.nextGaussian() * std);
				mean /= fanIn;
				for (int i = 0; i < fanIn; i++) w[o * fanIn + i] -= (float) mean;
			}
		};
	}

	/** VGG-19 from a state dict in Gatys' or torchvision's naming; widths are taken from the weights. */
	public static VggFeatures fromStateDict(Map<String, WeightTensor> sd, NDManager parent, boolean averagePooling) {
		Naming naming = naming(sd);
		if (naming == null) {
			throw new CheckpointException("This checkpoint is not a VGG-19: it has neither conv1_1.weight (Gatys' " +
				"vgg_conv.pth) nor features.0.weight (torchvision's vgg19).");
		}
		return loaded(new VggFeatures(naming, widths(sd, naming), averagePooling), sd, parent, "The VGG-19 checkpoint");
	}

	static Naming naming(Map<String, WeightTensor> sd) {
		if (sd.containsKey("conv1_1.weight")) return Naming.GATYS;
		if (sd.containsKey("features.0.weight")) return Naming.TORCHVISION;
		return null;
	}

	/** Each block's width, read from its first convolution (VGG-19's own unless the file says otherwise). */
	static int[] widths(Map<String, WeightTensor> sd, Naming naming) {
		int[] first = { 0, 5, 10, 19, 28 }; // torchvision's index of each block's first convolution
		int[] w = new int[BLOCKS.length];
		for (int b = 0; b < w.length; b++) {
			WeightTensor t = sd.get(naming == Naming.GATYS ? "conv" + (b + 1) + "_1.weight" : "features." + first[b] + ".weight");
			w[b] = t != null && t.shape().length == 4 ? (int) t.shape()[0] : VGG19_WIDTHS[b];
		}
		return w;
	}

	/**
	 * The outputs of the named layers ({@code r11}, {@code r42}, ...) for {@code x} ({@code [N, 3, H, W]} in
	 * {@link #preset()} values). Computation stops after the deepest layer asked for.
	 */
	public Map<String, NDArray> forward(NDArray x, Collection<String> layers) {
		List<String> wanted = new ArrayList<>(layers);
		for (String l : wanted) convName(l);
		Map<String, NDArray> out = new LinkedHashMap<>();
		NDArray y = x;
		for (int b = 0; b < BLOCKS.length && out.size() < wanted.size(); b++) {
			if (b > 0) {
				y = averagePooling ? Pool.avgPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true)
					: pools.get(b - 1).forward(y);
			}
			for (String name : BLOCKS[b]) {
				y = Activation.relu(convs.get("conv" + name).forward(y));
				String layer = "r" + name.replace("_", "");
				if (wanted.contains(layer)) out.put(layer, y);
				if (out.size() == wanted.size()) break;
			}
		}
		return out;
	}

	/** The deepest layer's output (relu5_4): the whole stack, as Model Info traces it. */
	@Override
	public NDArray forward(NDArray x) {
		return forward(x, List.of("r54")).get("r54");
	}

	static String convName(String layer) {
		if (layer == null || !layer.matches("r[1-5][1-4]")) {
			throw new GenIJException("Unknown VGG layer '" + layer + "'. Use r11, r12, r21, r22, r31 ... r34, r41 ... r44, " +
				"r51 ... r54.");
		}
		String name = "conv" + layer.charAt(1) + "_" + layer.charAt(2);
		int block = layer.charAt(1) - '1';
		if (layer.charAt(2) - '0' > BLOCKS[block].length)
			throw new GenIJException("VGG-19 has no layer " + layer + " (block " + (block + 1) + " has " + BLOCKS[block].length + ").");
		return name;
	}
}
