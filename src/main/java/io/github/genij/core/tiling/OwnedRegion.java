package io.github.genij.core.tiling;

/**
 * The part of a window that belongs to it alone, in the window's own pixel coordinates (half-open):
 * the owned regions of all windows tile the (padded) image exactly, each lying at least the halo away
 * from its window's inner edges. A network that gathers image-wide sums over windows counts each pixel
 * once by summing over owned regions only.
 */
public final class OwnedRegion {

	public final int x0, x1, y0, y1;

	OwnedRegion(int x0, int x1, int y0, int y1) {
		this.x0 = x0;
		this.x1 = x1;
		this.y0 = y0;
		this.y1 = y1;
	}

	/**
	 * The cells of a feature map that is {@code stride} times coarser than the window which the owned
	 * region covers: the cells whose first pixel is owned, so that every cell of the image belongs to
	 * exactly one window at every resolution. Returns {@code {x0, x1, y0, y1}} in cells (half-open).
	 */
	public int[] cells(int strideX, int strideY) {
		return new int[] { ceilDiv(x0, strideX), ceilDiv(x1, strideX), ceilDiv(y0, strideY), ceilDiv(y1, strideY) };
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	@Override
	public String toString() {
		return "[" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1 + ")";
	}
}
