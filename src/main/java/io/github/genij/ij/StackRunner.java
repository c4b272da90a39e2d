package io.github.genij.ij;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import io.github.genij.core.tiling.ImageNetwork;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.core.tiling.TiledRunner;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Applies an image network to every z and t of an ImagePlus, tiled, into a new ImagePlus.
 * <p>
 * Values follow GenIJ's convention ({@link ValueRange#convention}): 0..255 for 8-bit and RGB images,
 * percentiles of the whole stack for 16- and 32-bit ones. The result is mapped back through the same
 * range ("the input's scale").
 */
public final class StackRunner {

	private StackRunner() {}

	/** The black..white range GenIJ uses for an image (see the class comment). */
	public static ValueRange valueRange(ImagePlus imp) {
		boolean byteValued = ImagePlusImgs.isRgb(imp) || imp.getBitDepth() == 8;
		if (!byteValued) FinitePixels.require(imp); // NaN or infinity: refused before any work (FinitePixels says why)
		return ValueRange.convention(byteValued, () -> Views.iterable(ImagePlusImgs.allPlanes(imp)));
	}

	/**
	 * The network's output for every position of {@code input}, as a new image titled {@code title}.
	 *
	 * @param outChannels how many channels the network produces
	 */
	public static ImagePlus apply(ImagePlus input, ImageNetwork network, ValuePreset preset, int outChannels,
		TileSpec tiles, OutputType type, String title, NDManager manager, Progress progress)
	{
		return apply(input, null, network, preset, outChannels, tiles, type, title, manager, progress);
	}

	/**
	 * As {@link #apply(ImagePlus, ImageNetwork, ValuePreset, int, TileSpec, OutputType, String, NDManager, Progress)},
	 * with {@code extra} (null, or a one-channel image of the input's size, such as a label map) appended to
	 * every position as a last channel whose values pass unchanged.
	 */
	public static ImagePlus apply(ImagePlus input, ImagePlus extra, ImageNetwork network, ValuePreset preset, int outChannels,
		TileSpec tiles, OutputType type, String title, NDManager manager, Progress progress)
	{
		int inChannels = ImagePlusImgs.channelCount(input);
		ValueRange range = valueRange(input);
		ChannelMapping in = preset.mapping(range, inChannels);
		RandomAccessibleInterval<FloatType> extraPlane = null;
		if (extra != null) {
			if (extra.getWidth() != input.getWidth() || extra.getHeight() != input.getHeight() || ImagePlusImgs.channelCount(extra) != 1) {
				throw new GenIJException("'" + extra.getTitle() + "' is " + extra.getWidth() + "x" + extra.getHeight() + " with " +
					ImagePlusImgs.channelCount(extra) + " channel(s); it must be one channel of " + input.getWidth() + "x" +
					input.getHeight() + ", as '" + input.getTitle() + "'.");
			}
			extraPlane = floats(ImagePlusImgs.asChannels(extra, 1, 1));
			in = in.withPlainChannel();
		}
		ChannelMapping out = preset.mapping(range, outChannels).inverse();
		ImagePlus result = ResultImages.create(input, outChannels, type, title);
		// A 32-bit result takes the tiles' float sums directly; other types get them a band of rows at a time.
		boolean direct = result.getBitDepth() == 32;
		TiledRunner runner = new TiledRunner(network, tiles, progress);
		int positions = input.getNSlices() * input.getNFrames(), done = 0;
		for (int t = 1; t <= input.getNFrames(); t++) {
			for (int z = 1; z <= input.getNSlices(); z++) {
				progress.checkCancelled();
				if (positions > 1) progress.log("Slice " + (done + 1) + " of " + positions);
				RandomAccessibleInterval<? extends RealType<?>> plane = ImagePlusImgs.asChannels(input, z, t);
				if (extraPlane != null) plane = Views.concatenate(2, floats(plane), extraPlane);
				if (direct) runner.run(plane, in, ImagePlusImgs.channels(result, z, t), out, manager);
				else {
					int zz = z, tt = t;
					runner.runInBands(plane, in, out, (rows, firstRow) -> ResultImages.writeRows(rows, result, zz, tt, firstRow), manager);
				}
				done++;
			}
		}
		return result;
	}

	/** The values as float, without copying them. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval<FloatType> floats(RandomAccessibleInterval<? extends RealType<?>> values) {
		return Converters.convert((RandomAccessibleInterval) values, (a, b) -> ((FloatType) b).setReal(((RealType<?>) a).getRealDouble()),
			new FloatType());
	}
}
