package io.github.genij.core.nn.module;

/**
 * The receptive field of a network and the size multiple its grid needs, computed from its module tree:
 * the spatial layers are walked in declaration order, which for GenIJ's networks is the order the forward
 * pass runs them (declare modules in forward order). Along that chain each layer widens the field by
 * {@code (taps - 1)} cells of its input grid, whose cells are {@code jump} input pixels apart. Skip
 * connections and residual paths are shorter than the chain, so the chain's field is the network's.
 * Global statistics (instance norm, batch norm on image statistics) are left out: they are handled by
 * gathering statistics, not by context.
 */
public final class ReceptiveField {

	/** Context kept around a window when the field is too wide for any halo: enough to hide the seams. */
	public static final int SEAM_MARGIN = 64;

	/** Side of the receptive field in input pixels. */
	public final long size;
	/** Input sides must be multiples of this: the coarsest grid's spacing. */
	public final int multiple;
	/**
	 * The smallest input side every layer accepts (a multiple of {@link #multiple}): a reflection padding
	 * of p on a grid whose cells are j pixels apart needs (p + 1)·j pixels. Smaller images are padded to it.
	 */
	public final int minimumSide;

	private ReceptiveField(long size, int multiple, int minimumSide) {
		this.size = size;
		this.multiple = multiple;
		this.minimumSide = (minimumSide + multiple - 1) / multiple * multiple;
	}

	/** The field of {@code chain}: networks run one after the other (an encoder, then its decoder). */
	public static ReceptiveField of(Module... chain) {
		double field = 1, jump = 1, coarsest = 1, fewest = 1;
		for (Module network : chain) {
			for (Module m : network.modules().values()) {
				Spatial s = m.spatial();
				if (s == null) continue;
				fewest = Math.max(fewest, s.fewest * jump);
				field += (s.taps - 1) * jump;
				jump = jump * s.down / s.up;
				coarsest = Math.max(coarsest, jump);
			}
		}
		return new ReceptiveField(Math.round(Math.ceil(field)), (int) Math.round(coarsest), (int) Math.ceil(fewest));
	}

	/** Pixels of context each side of an output pixel: the field's radius. */
	public int radius() {
		return (int) (size / 2); // ceil((size - 1) / 2)
	}

	/**
	 * The halo the tiler uses with windows of {@code window} pixels. A field that fits in a quarter of the
	 * window gets its whole radius: tiles then equal the untiled output (ResNet generators, fast style,
	 * AdaIN). A wider field (a U-Net's spans more than the window) cannot be covered by any halo; tiles
	 * approximate the untiled output whatever the halo, so a margin of {@link #SEAM_MARGIN} px (or a
	 * sixteenth of the window) hides the seams without multiplying the work.
	 */
	public int halo(int window) {
		int r = radius();
		if (r <= window / 4) return r;
		return Math.min(r, Math.max(SEAM_MARGIN, window / 16));
	}

	/** Whether {@link #halo(int)} covers the whole radius at this window size. */
	public boolean haloCoversField(int window) {
		return halo(window) >= radius();
	}
}
