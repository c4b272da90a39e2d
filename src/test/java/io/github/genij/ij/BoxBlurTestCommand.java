package io.github.genij.ij;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tiling.TileSpec;

/**
 * A test-only image command: a 3x3 box blur per channel, run through the real command base, stack
 * runner and tiling. Its result is easy to compute independently.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Testing>Box Blur", headless = true)
public class BoxBlurTestCommand extends ImageCommand {

	@Parameter
	ImagePlus input;

	@Parameter(required = false, persist = false)
	int tilesize = 64;

	/** none, usererror, crash or cancel: to test how failures end. */
	@Parameter(required = false, persist = false)
	String failwith = "none";

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus result;

	/** Left open by the last run? Tests look. */
	static volatile boolean lastRunHeldMemoryAfterwards;
	static volatile BoxBlurTestCommand last;

	@Override
	protected void execute(Progress progress) {
		last = this;
		int channels = ImagePlusImgs.channelCount(input);
		NDArray kernel = manager().ones(new Shape(channels, 1, 3, 3)).div(9f);
		if (failwith.equals("usererror")) throw new GenIJException("The input is unsuitable: try another.");
		if (failwith.equals("crash")) throw new IllegalStateException("boom");
		if (failwith.equals("cancel")) cancel("stop");
		result = StackRunner.apply(input, x -> Conv2d.conv2d(x, kernel.toDevice(x.getDevice(), false), null,
			new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), channels).get(0), ValuePreset.UNIT, channels,
			new TileSpec(tilesize, 2, 2, 1), outputType(), ResultImages.titleFor(input, "blurred"), manager(), progress);
	}
}
