package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.IJ;
import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.io.FileSaver;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.nn.Normalization;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.core.tiling.TiledRunner;
import io.github.genij.core.weights.Weights;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

class AdaInCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@Test
	void tilesWithWholeImageStatisticsMatchTheWholeImage() {
		Path f = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			AdaInNetworks net = new AdaInNetworks(Weights.stateDict(f.resolve("vgg_normalised.pth")),
				Weights.stateDict(f.resolve("decoder.pth")), m)) {
			m.getEngine().setRandomSeed(4);
			// a smooth 208x176 image: ten by eight random colours, bilinearly enlarged
			NDArray content = io.github.genij.core.nn.Upsampling.bilinear(m.randomUniform(0, 1, new Shape(1, 3, 11, 13)), 16);
			NDArray style = io.github.genij.core.nn.Upsampling.bilinear(m.randomUniform(0, 1, new Shape(1, 3, 5, 5)), 8);
			NDArray whole = AdaInTransfer.run(net, content, List.of(style), null, 1, null);
			ArrayImg<FloatType, FloatArray> in = ArrayImgs.floats(content.transpose(0, 1, 2, 3).toFloatArray(), 208, 176, 3);
			ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(208, 176, 3);
			AdaInImage network = new AdaInImage(net, List.of(style), null, 1, 3, false, false, false);
			new TiledRunner(network, new TileSpec(192, 64, 32, AdaInNetworks.MULTIPLE), Progress.NONE).run(in,
				ChannelMapping.identity(3), out, ChannelMapping.identity(3), m);
			float[] a = whole.toFloatArray(), b = out.update(null).getCurrentStorageArray();
			double range = 0, diff = 0;
			for (float v : a) range = Math.max(range, Math.abs(v));
			for (int i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
			diff /= a.length;
			assertTrue(diff < 0.01 * range, "mean difference " + diff + " of range " + range);
		}
	}

	/** Every slice of a stack is styled, each exactly as it would be alone. */
	@Test
	void aStackGivesEverySliceStyledAsIfAlone(@TempDir Path dir) throws Exception {
		Path f = StyleOracle.folder();
		String enc = f.resolve("vgg_normalised.pth").toString(), dec = f.resolve("decoder.pth").toString();
		ImagePlus stack = IJ.createImage("stack.tif", "RGB noise", 40, 32, 3);
		String style = dir.resolve("stripes.png").toString();
		new FileSaver(StyleTransferGatysCommandTest.style()).saveAsPng(style);
		CommandService cs = context.service(CommandService.class);
		CommandModule run = cs.run(StyleTransferAdaInCommand.class, true, "content", stack, "style", style, "encoder", enc,
			"decoder", dec).get();
		assertFalse(run.isCanceled(), String.valueOf(run.getCancelReason()));
		ImagePlus all = (ImagePlus) run.getOutput("result");
		assertEquals(3, all.getStackSize());
		for (int z = 1; z <= 3; z++) {
			ImagePlus slice = new ImagePlus("slice" + z, stack.getStack().getProcessor(z).duplicate());
			ImagePlus alone = (ImagePlus) cs.run(StyleTransferAdaInCommand.class, true, "content", slice, "style", style, "encoder",
				enc, "decoder", dec).get().getOutput("result");
			assertArrayEquals((int[]) alone.getProcessor().getPixels(), (int[]) all.getStack().getProcessor(z).getPixels(), "slice " + z);
		}
	}

	@Test
	void theCommandTakesStylesByTitleOrFileWithWeightsMasksAndClearErrors(@TempDir Path dir) throws Exception {
		Path f = StyleOracle.folder();
		String enc = f.resolve("vgg_normalised.pth").toString(), dec = f.resolve("decoder.pth").toString();
		ImagePlus content = StyleTransferGatysCommandTest.content();
		Path styleFile = dir.resolve("stripes.png");
		new FileSaver(StyleTransferGatysCommandTest.style()).saveAsPng(styleFile.toString());
		ImagePlus second = IJ.createImage("second", "RGB noise", 30, 50, 1);
		CommandService cs = context.service(CommandService.class);

		CommandModule one = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style", styleFile.toString(),
			"encoder", enc, "decoder", dec).get();
		assertFalse(one.isCanceled(), String.valueOf(one.getCancelReason()));
		ImagePlus r = (ImagePlus) one.getOutput("result");
		assertEquals(ImagePlus.COLOR_RGB, r.getType());
		assertEquals(64, r.getWidth());
		assertEquals(48, r.getHeight());

		Path secondFile = dir.resolve("second.png");
		new FileSaver(second).saveAsPng(secondFile.toString());
		CommandModule two = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style", styleFile + "," +
			secondFile, "weights", "1,3", "alpha", 0.7, "preservecolor", true, "encoder", enc, "decoder", dec).get();
		assertFalse(two.isCanceled(), String.valueOf(two.getCancelReason()));

		content.setRoi(new OvalRoi(10, 10, 30, 20));
		CommandModule roi = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style", styleFile.toString(),
			"encoder", enc, "decoder", dec, "outputtype", "float32").get();
		assertFalse(roi.isCanceled(), String.valueOf(roi.getCancelReason()));
		assertEquals(32, ((ImagePlus) roi.getOutput("result")).getBitDepth());

		CommandModule noWeights = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style",
			styleFile.toString()).get();
		assertTrue(noWeights.getCancelReason().startsWith("AdaIN needs its trained encoder and decoder"), noWeights.getCancelReason());
		CommandModule badMask = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style", styleFile.toString(),
			"encoder", enc, "decoder", dec, "mask", IJ.createImage("m", "8-bit black", 10, 10, 1)).get();
		assertTrue(badMask.getCancelReason().contains("must be the same size"), badMask.getCancelReason());
		CommandModule badStyle = cs.run(StyleTransferAdaInCommand.class, true, "content", content, "style", "nothing-here",
			"encoder", enc, "decoder", dec).get();
		assertTrue(badStyle.getCancelReason().contains("neither an open image's title nor a readable image file"),
			badStyle.getCancelReason());
	}
}
