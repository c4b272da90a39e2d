package io.github.genij.style;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.github.genij.core.GenIJException;
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
 * random filters of {@link #builtin()}.
 */
public final class VggFeatures implements AutoCloseable {

	/** conv names per block, in order. */
	static final String[][] BLOCKS = { { "1_1", "1_2" }, { "2_1", "2_2" }, { "3_1", "3_2", "3_3", "3_4" },
		{ "4_1", "4_2", "4_3", "4_4" }, { "5_1", "5_2", "5_3", "5_4" } };
	/** torchvision's features indices of the 16 convolutions, in the same order. */
	private static final int[] TORCHVISION_INDEX = { 0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34 };
	static final int[] VGG19_WIDTHS = { 64, 128, 256, 512, 512 };

	/** The seed of the built-in random filters: changing it changes every result made with them. */
	public static final long BUILTIN_SEED = 20160605L;
	/** The built-in network is VGG-19 at a quarter of its widths: 16x cheaper, still five scales. */
	public static final int BUILTIN_WIDTH_DIVISOR = 4;

	private final NDManager manager;
	private final Map<String, NDArray[]> convs;
	private final ValuePreset preset;
	private final boolean averagePooling;
	private final String description;

	private VggFeatures(NDManager manager, Map<String, NDArray[]> convs, ValuePreset preset, boolean averagePooling,
		String description)
	{
		this.manager = manager;
		this.convs = convs;
		this.preset = preset;
		this.averagePooling = averagePooling;
		this.description = description;
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
		return convs.get(convName(layer))[0].getShape().get(0);
	}

	/**
	 * GenIJ's default, needing no download: the VGG-19 topology with a quarter of the channels and random
	 * filters, drawn from a fixed seed with Java's own generator (so every machine builds the same network):
	 * He-normal weights with each filter's mean removed, zero biases. Random convolutional features still
	 * capture texture statistics across the five scales (Ustyuzhaninov et al. 2017; He et al. 2016), so
	 * style transfer works, but the result reproduces colours and local texture rather than the semantic
	 * brush strokes a trained VGG transfers.
	 */
	public static VggFeatures builtin(NDManager parent) {
		NDManager m = parent.newSubManager();
		Random random = new Random(BUILTIN_SEED);
		Map<String, NDArray[]> convs = new LinkedHashMap<>();
		long in = 3;
		for (int b = 0; b < BLOCKS.length; b++) {
			long out = VGG19_WIDTHS[b] / BUILTIN_WIDTH_DIVISOR;
			for (String name : BLOCKS[b]) {
				int fanIn = (int) (in * 9), n = (int) (out * fanIn);
				float[] w = new float[n];
				double std = Math.sqrt(2.0 / fanIn);
				for (int o = 0; o < out; o++) {
					double mean = 0;
					for (int i = 0; i < fanIn; i++) mean += w[o * fanIn + i] = (float) (random.nextGaussian() * std);
					mean /= fanIn;
					for (int i = 0; i < fanIn; i++) w[o * fanIn + i] -= (float) mean;
				}
				convs.put("conv" + name, new NDArray[] { m.create(w, new Shape(out, in, 3, 3)), m.zeros(new Shape(out)) });
				in = out;
			}
		}
		// Caffe's value range (0..255, mean removed), as Gatys' VGG: his layer weights 1e3/n^2 assume that scale.
		return new VggFeatures(m, convs, ValuePreset.CAFFE_BGR, false,
			"built-in random VGG-19 (quarter width, seed " + BUILTIN_SEED + ")");
	}

	/** VGG-19 from a state dict in Gatys' or torchvision's naming; widths are taken from the weights. */
	public static VggFeatures fromStateDict(Map<String, WeightTensor> sd, NDManager parent, boolean averagePooling) {
		boolean gatys = sd.containsKey("conv1_1.weight"), torchvision = sd.containsKey("features.0.weight");
		if (!gatys && !torchvision) {
			throw new CheckpointException("This checkpoint is not a VGG-19: it has neither conv1_1.weight (Gatys' " +
				"vgg_conv.pth) nor features.0.weight (torchvision's vgg19).");
		}
		NDManager m = parent.newSubManager();
		Map<String, NDArray[]> convs = new LinkedHashMap<>();
		int i = 0;
		for (String[] block : BLOCKS) {
			for (String name : block) {
				String key = gatys ? "conv" + name : "features." + TORCHVISION_INDEX[i];
				WeightTensor w = sd.get(key + ".weight"), bias = sd.get(key + ".bias");
				if (w == null || bias == null) {
					m.close();
					throw new CheckpointException("The VGG-19 checkpoint lacks " + key + ".weight or .bias (layer conv" + name + ").");
				}
				convs.put("conv" + name, new NDArray[] { w.toNDArray(m), bias.toNDArray(m) });
				i++;
			}
		}
		return new VggFeatures(m, convs, gatys ? ValuePreset.CAFFE_BGR : ValuePreset.IMAGENET, averagePooling,
			gatys ? "VGG-19 (Gatys' vgg_conv)" : "VGG-19 (torchvision)");
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
		Shape one = new Shape(1, 1);
		for (int b = 0; b < BLOCKS.length && out.size() < wanted.size(); b++) {
			if (b > 0) {
				y = averagePooling ? Pool.avgPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true)
					: Pool.maxPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
			}
			for (String name : BLOCKS[b]) {
				NDArray[] wb = convs.get("conv" + name);
				y = Activation.relu(Conv2d.conv2d(y, device(wb[0], y), device(wb[1], y), one, one, one).get(0));
				String layer = "r" + name.replace("_", "");
				if (wanted.contains(layer)) out.put(layer, y);
				if (out.size() == wanted.size()) break;
			}
		}
		return out;
	}

	private static NDArray device(NDArray w, NDArray like) {
		NDArray d = w.getDevice().equals(like.getDevice()) ? w : w.toDevice(like.getDevice(), false);
		// the weights follow the input's precision (float64 for exact comparisons with a reference)
		return d.getDataType() == like.getDataType() ? d : d.toType(like.getDataType(), false);
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

	@Override
	public void close() {
		manager.close();
	}
}
