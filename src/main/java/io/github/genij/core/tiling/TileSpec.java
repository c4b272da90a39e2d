package io.github.genij.core.tiling;

/**
 * How to cut an image into tiles for a network.
 *
 * @param tileSize the largest window side to try first (pixels; rounded down to {@link #multiple})
 * @param halo context each window reads beyond the pixels it contributes, at every side that is not the
 *        image border; at least the network's receptive-field radius for tiled output to equal whole-image
 *        output
 * @param blend width of the cosine cross-fade between neighbouring windows, inside their overlap
 * @param multiple window sides and window positions are multiples of this (e.g. 256 for a U-Net-256,
 *        4 for a ResNet generator, 1 for a fully convolutional network without down-sampling)
 */
public final class TileSpec {

	public final int tileSize;
	public final int halo;
	public final int blend;
	public final int multiple;
	/** Images with a smaller side are padded (mirrored) to this first: the least the network accepts. */
	public final int minimumSide;

	public TileSpec(int tileSize, int halo, int blend, int multiple) {
		this(tileSize, halo, blend, multiple, multiple);
	}

	public TileSpec(int tileSize, int halo, int blend, int multiple, int minimumSide) {
		if (multiple < 1 || halo < 0 || blend < 0 || tileSize < 1)
			throw new IllegalArgumentException("bad tile spec: size " + tileSize + ", halo " + halo + ", blend " + blend +
				", multiple " + multiple);
		this.tileSize = tileSize;
		this.halo = halo;
		this.blend = blend;
		this.multiple = multiple;
		this.minimumSide = roundUp(Math.max(1, minimumSide), multiple);
	}

	public TileSpec withTileSize(int size) {
		return new TileSpec(size, halo, blend, multiple, minimumSide);
	}

	/** The smallest window side that still leaves room for halos, blending and one step of progress. */
	public int minimumWindow() {
		return roundUp(2 * halo + blend + multiple, multiple);
	}

	static int roundUp(int value, int multiple) {
		return (value + multiple - 1) / multiple * multiple;
	}

	static int roundDown(int value, int multiple) {
		return value / multiple * multiple;
	}

	@Override
	public String toString() {
		return "tiles of up to " + tileSize + " px, halo " + halo + ", blend " + blend + ", multiple of " + multiple +
			(minimumSide > multiple ? ", sides of at least " + minimumSide : "");
	}
}
