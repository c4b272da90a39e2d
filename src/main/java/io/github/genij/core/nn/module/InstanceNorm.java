package io.github.genij.core.nn.module;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.WeightTensor;

/**
 * PyTorch's {@code InstanceNorm2d} without running statistics, affine or not. Checkpoints saved by
 * PyTorch before 0.4 carry running statistics for these norms that the reference code never used: they
 * are dropped at load.
 */
public class InstanceNorm extends Module implements Layer {

	public final int channels;
	private final Slot weight, bias;

	public InstanceNorm(int channels, boolean affine) {
		this.channels = channels;
		weight = affine ? parameter("weight", Init.ones(), channels) : null;
		bias = affine ? parameter("bias", Init.zeros(), channels) : null;
	}

	@Override
	protected Map<String, WeightTensor> rewrite(String path, Map<String, WeightTensor> sd) {
		return ImportRewrites.dropRunningStats(sd, owner -> owner.equals(path));
	}

	@Override
	public NDArray forward(NDArray x) {
		if (weight == null) return Normalization.instanceNorm(x);
		return Normalization.instanceNorm(x, weight.on(x), bias.on(x), Normalization.EPS);
	}
}
