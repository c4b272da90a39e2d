package io.github.genij.translate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;

/**
 * Saves what {@link Pix2PixTrainer} made: an installed model (card + safetensors) that Translate applies by
 * name, and beside it {@code latest_net_G.pth} and {@code latest_net_D.pth} in the reference's own layout
 * and format, for the Python code ({@code test.py --model pix2pix}, or to continue training there).
 */
public final class TrainedModels {

	/** The card's provenance tool of a model Train pix2pix made (and may train further or replace). */
	public static final String TOOL = "GenIJ Train pix2pix";

	public static final String GENERATOR_FILE = "latest_net_G.pth", DISCRIMINATOR_FILE = "latest_net_D.pth";

	private TrainedModels() {}

	/** Installs the trained pix2pix under {@code name}; returns its folder. */
	public static Path install(ModelStore store, String name, Pix2PixTrainer.Settings s, Pix2PixTrainer.Result r, String data,
		boolean replace)
	{
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = TranslateFamily.NAME;
		card.architecture = s.architecture();
		card.preset = "symmetric";
		card.parameters.put("norm", "batch");
		card.parameters.put("ngf", s.ngf);
		card.parameters.put("input_nc", s.channelsA);
		card.parameters.put("output_nc", s.channelsB);
		card.parameters.put("num_downs", s.numDowns);
		card.parameters.put("dropout", true);
		card.description = "pix2pix (U-Net " + (1 << s.numDowns) + ", batch norm, dropout) trained by GenIJ on " + data + ".";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		card.provenance.notes.put("epochs", s.epochs);
		card.provenance.notes.put("cropsize", s.cropSize);
		card.provenance.notes.put("lambdal1", s.lambdaL1);
		card.provenance.notes.put("ganloss", s.ganLoss.name().toLowerCase(Locale.ROOT));
		card.provenance.notes.put("ndf", s.ndf);
		card.provenance.notes.put("seed", s.seed);
		if (!r.history.isEmpty()) {
			Pix2PixTrainer.EpochReport last = r.history.get(r.history.size() - 1);
			card.provenance.notes.put("final_train_l1", last.meanL1);
			card.provenance.notes.put("final_validation_l1", last.validationL1);
		}
		card.provenance.notes.put("reference_test_command", "python test.py --model pix2pix --netG " + s.architecture() +
			" --ngf " + s.ngf + " --input_nc " + s.channelsA + " --output_nc " + s.channelsB + " --norm batch" +
			" (copy " + GENERATOR_FILE + " into checkpoints/<name>/; unet_" + (1 << s.numDowns) +
			" must be one of the reference's choices, else build UnetGenerator(..., num_downs=" + s.numDowns + ") yourself)");
		Path folder = store.install(card, r.generator, replace);
		exportReference(folder, r.generator, r.discriminator);
		return folder;
	}

	/** Writes both networks as the reference's training saves them. */
	static void exportReference(Path folder, Map<String, WeightTensor> g, Map<String, WeightTensor> d)
	{
		TorchCheckpointWriter.write(folder.resolve(GENERATOR_FILE), g);
		TorchCheckpointWriter.write(folder.resolve(DISCRIMINATOR_FILE), d);
	}
}
