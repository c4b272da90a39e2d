package io.github.genij.core.nn.module;

/**
 * What a layer does to the image grid, for the receptive field and the size multiple: how many
 * neighbouring input cells one output cell reads along each axis ({@code taps}), and by how much it
 * shrinks ({@code down}) or enlarges ({@code up}) the grid. A convolution k/s is (k, s, 1); a transposed
 * convolution k/s reads ceil(k/s) cells and is (ceil(k/s), 1, s); nearest x2 up-sampling is (1, 1, 2).
 */
public final class Spatial {

	public final int taps, down, up;
	/** The fewest input cells along an axis the layer accepts (reflection padding p needs p + 1). */
	public final int fewest;

	public Spatial(int taps, int down, int up) {
		this(taps, down, up, 1);
	}

	public Spatial(int taps, int down, int up, int fewest) {
		this.taps = taps;
		this.down = down;
		this.up = up;
		this.fewest = Math.max(1, fewest);
	}
}
