package io.github.genij.translate;


import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.tiling.TileSpec;
import io.github.genij.ij.TiledImageCommand;
import io.github.genij.ij.ImagePlusImgs;
import io.github.genij.ij.ResultImages;
import io.github.genij.ij.StackRunner;

/**
 * Plugins > GenIJ > Translate > Translate (pix2pix, CycleGAN): applies a generator trained with the
 * reference code (latest_net_G.pth, either PyTorch format, or an imported model) to every slice and frame
 * of an image of any size.
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Translate>Translate (pix2pix, CycleGAN)", headless = true,
	description = "Image-to-image translation with a pix2pix or CycleGAN generator (U-Net or ResNet), any size, stacks " +
		"slice by slice.")
public class TranslateCommand extends TiledImageCommand {

	@Parameter(label = "Image")
	private ImagePlus input;

	@Parameter(label = "Model", persist = false, description = "latest_net_G.pth (file) or an installed model name")
	private String model = "";

	@Parameter(label = "Architecture", choices = { "auto", "unet_128", "unet_256", "resnet_6blocks", "resnet_9blocks" },
		persist = false)
	private String arch = "auto";

	@Parameter(label = "Norm", choices = { "auto", "batch", "instance" }, persist = false)
	private String norm = "auto";

	@Parameter(label = "Batch-norm statistics", choices = { "running", "image" }, persist = false,
		description = "running: the stored ones (the reference's --eval); image: this image's own (the reference's default)")
	private String bnstats = "running";

	@Parameter(label = "Dropout at test time", choices = { "off", "on" }, persist = false,
		description = "pix2pix was designed to keep dropout as noise at test time; 'on' does so, reproducibly with 'seed'")
	private String dropout = "off";

	@Parameter(label = "Dropout seed", persist = false)
	private long seed = 0;


	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus result;

	@Override
	protected String displayName() {
		return "Translate";
	}

	@Override
	protected void execute(Progress progress) {
		if (model.trim().isEmpty()) throw new GenIJException("Give model=<latest_net_G.pth or an installed model name>.");
		// choices arrive checked and in their declared spelling (ParameterRules)
		BatchNorm.Statistics stats = bnstats.equals("image") ? BatchNorm.Statistics.IMAGE : BatchNorm.Statistics.RUNNING;
		Long dropoutSeed = dropout.equals("on") ? seed : null;
		try (Generator gen = Generators.load(model(model, "model"), arch, norm, stats,
			dropoutSeed, manager())) {
			int channels = ImagePlusImgs.channelCount(input);
			if (channels != gen.inputChannels()) {
				throw new GenIJException("The model takes " + gen.inputChannels() + " channel(s) but '" + input.getTitle() + "' has " +
					channels + ". " + (gen.inputChannels() == 3 ? "Convert it with Image > Type > RGB Color." :
						"Convert it with Image > Type > 8-bit, or split its channels."));
			}
			TileSpec spec = tiles(input, gen.receptiveField());
			boolean tiled = isTiled(input, spec);
			progress.log("Generator: " + gen.getClass().getSimpleName() + ", " + gen.inputChannels() + " -> " + gen.outputChannels() +
				" channel(s), sides padded to multiples of " + gen.multiple() + (tiled ? ", tiles of " + spec.tileSize + " px" : "") +
				(tiled && gen.batchNorm() && stats == BatchNorm.Statistics.IMAGE
					? "; batch-norm statistics of the whole image are gathered tile by tile first, one layer per pass" : ""));
			result = StackRunner.apply(input, gen.network(), gen.preset, gen.outputChannels(), spec, outputType(),
				ResultImages.titleFor(input, "translated"), manager(), progress);
		}
	}
}
