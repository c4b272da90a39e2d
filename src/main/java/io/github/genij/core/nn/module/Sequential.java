package io.github.genij.core.nn.module;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * PyTorch's {@code nn.Sequential}: children named by their index ({@code 0}, {@code 1}, ...), layers
 * without tensors included, so that the indices, and with them the state-dict keys, match the
 * reference's. In inference each layer's temporaries are freed as soon as the next layer has its input.
 */
public class Sequential extends Module implements Layer {

	private final List<Layer> layers = new ArrayList<>();

	public Sequential(Layer... layers) {
		for (Layer l : layers) append(l);
	}

	/** Adds a layer under the next index; returns it. */
	public final <L extends Layer> L append(L layer) {
		add(Integer.toString(layers.size()), (Module) layer);
		layers.add(layer);
		return layer;
	}

	public final int size() {
		return layers.size();
	}

	public final Layer get(int index) {
		return layers.get(index);
	}

	@Override
	public NDArray forward(NDArray x) {
		return forward(x, 0, layers.size());
	}

	/** Layers {@code from} (inclusive) to {@code to} (exclusive). */
	public NDArray forward(NDArray x, int from, int to) {
		NDArray y = x;
		for (int i = from; i < to; i++) {
			Layer l = layers.get(i);
			y = y == x ? step(y, l::forward) : stepAndFree(y, l::forward);
		}
		return y;
	}
}
