package io.github.genij.ij;

import org.scijava.plugin.Parameter;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.tiling.TileSpec;

/**
 * An image command whose network runs in tiles: the tile keys, declared once with one meaning for every
 * command. {@code tilesize} is the largest window side; {@code ntiles} cuts the longer image side into
 * that many windows instead. The halo and the size multiple come from the network's receptive field.
 */
public abstract class TiledImageCommand extends ImageCommand {

	@Parameter(label = "Tiles along the longer side", min = "0", persist = false,
		description = "0: automatic (windows of 'tilesize')")
	protected int ntiles = 0;

	@Parameter(label = "Tile size", min = "64", persist = false,
		description = "Largest window side in pixels; larger images run in overlapping windows")
	protected int tilesize = 1024;

	/** The windows for {@code image} and a network with this receptive field. */
	protected TileSpec tiles(ImagePlus image, ReceptiveField field) {
		if (tilesize < 64) throw new GenIJException("tilesize=" + tilesize + " is too small: give 64 or more.");
		if (ntiles < 0) throw new GenIJException("ntiles=" + ntiles + " must be 0 (automatic) or more.");
		int longer = Math.max(image.getWidth(), image.getHeight()), side = tilesize;
		if (ntiles > 0) {
			int core = (longer + ntiles - 1) / ntiles;
			side = core + 2 * field.halo(2 * core);
		}
		int halo = field.halo(side);
		return new TileSpec(Math.max(side, field.minimumSide), halo, halo / 2, field.multiple, field.minimumSide);
	}

	/** Whether the image needs more than one window. */
	protected static boolean isTiled(ImagePlus image, TileSpec spec) {
		int m = spec.multiple, longer = Math.max(image.getWidth(), image.getHeight());
		return spec.tileSize < (longer + m - 1) / m * m;
	}
}
