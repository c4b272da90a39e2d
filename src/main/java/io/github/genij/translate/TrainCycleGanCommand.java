package io.github.genij.translate;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.ij.GenIJCommand;
import io.github.genij.ij.LossPlot;
import io.github.genij.ij.PreviewPlanes;
import io.github.genij.ij.TrainedModelName;

/**
 * Plugins > GenIJ > Translate > Train CycleGAN: trains CycleGAN on two unpaired folders ({@link CycleGanTrainer}) and
 * installs both directions for Translate ({@code <output>}: A→B, {@code <output>_BtoA}: B→A), with the four networks
 * beside the first in the reference's files ({@code latest_net_G_A.pth}, ..., {@code latest_net_D_B.pth}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>GenIJ>Translate>Train CycleGAN", headless = true,
	description = "Trains CycleGAN on two unpaired folders of images and installs both directions")
public class TrainCycleGanCommand extends GenIJCommand {

	static final String TOOL = "GenIJ Train CycleGAN";

	@Parameter(label = "Domain A images", style = "directory", persist = false)
	private File folder_a;

	@Parameter(label = "Domain B images", style = "directory", persist = false)
	private File folder_b;

	@Parameter(label = "Generator", choices = { "resnet_9blocks", "resnet_6blocks" }, persist = false)
	private String arch = "resnet_9blocks";

	@Parameter(label = "Generator filters (ngf)", min = "1", max = "256", persist = false, description = "64 in the reference")
	private int ngf = 64;

	@Parameter(label = "Epochs", min = "1", persist = false, description = "Constant learning rate for the first half, falling to zero over the second")
	private int epochs = 200;

	@Parameter(label = "Crop size", min = "32", persist = false, description = "Side of the random crops trained on (256 in the reference)")
	private int cropsize = 256;

	@Parameter(label = "Cycle weight", min = "0", persist = false, description = "lambda_A = lambda_B (10)")
	private float lambdacycle = 10f;

	@Parameter(label = "Identity weight", min = "0", persist = false, description = "lambda_identity (0.5), a share of the cycle weight")
	private float lambdaidentity = 0.5f;

	@Parameter(label = "Seed", persist = false)
	private long seed = 0;

	@Parameter(label = "Model name (output)", persist = false, description = "Translate knows A->B by this name, B->A by <name>_BtoA")
	private String output = "";

	@Parameter(label = "Start again from scratch", persist = false,
		description = "Discards the saved training state of this name; models this command made under it are replaced when the new training ends")
	private boolean restart = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus preview;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus plot;

	@Override
	protected String displayName() {
		return "Train CycleGAN";
	}

	@Override
	protected void execute(Progress progress) throws Exception {
		TrainedModelName target = TrainedModelName.check(output, "Train CycleGAN", TOOL, epochs, restart, progress);
		List<TrainingPair> a = PairFolders.singles(folder_a.toPath(), "folder_a", progress), b = PairFolders.singles(folder_b.toPath(), "folder_b", progress);
		if (a.isEmpty() || b.isEmpty()) throw new GenIJException("Both folders need usable images (see the log for why each file was left out).");
		CycleGanTrainer.Settings s = new CycleGanTrainer.Settings();
		s.blocks = arch.equals("resnet_6blocks") ? 6 : 9;
		s.ngf = ngf;
		s.ndf = Math.min(ngf, 64);
		s.channelsA = a.get(0).channelsA;
		s.channelsB = b.get(0).channelsA;
		for (TrainingPair p : a) if (p.channelsA != s.channelsA) throw new GenIJException(p.name + " in folder_a has " + p.channelsA + " channel(s), " + a.get(0).name + " " + s.channelsA + ": give images of one type.");
		for (TrainingPair p : b) if (p.channelsA != s.channelsB) throw new GenIJException(p.name + " in folder_b has " + p.channelsA + " channel(s), " + b.get(0).name + " " + s.channelsB + ": give images of one type.");
		s.epochs = epochs;
		s.cropSize = cropsize;
		s.lambdaCycle = lambdacycle;
		s.lambdaIdentity = lambdaidentity;
		s.seed = seed;
		progress.log(a.size() + " A and " + b.size() + " B image(s); " + s.architecture() + ", ngf " + s.ngf + ", " + s.epochs + " epochs of " +
			Math.max(a.size(), b.size()) + " steps, crops of " + s.cropSize + " px.");
		LossPlot curve = new LossPlot("Train CycleGAN: " + target.name, "step", "loss").curves("cycle (A + B)", "D (A + B)");
		ImageStack previews = new ImageStack();
		CycleGanTrainer.Listener listener = new CycleGanTrainer.Listener() {
			@Override
			public void step(int epoch, int step, int steps, CycleGanTrainer.StepLosses l) {
				double x = (double) epoch * steps + step + 1;
				curve.add(x, l.cycleA + l.cycleB);
				curve.addSecond(x, l.dA + l.dB);
				if (step % 20 == 19 || step == steps - 1) curve.refresh();
			}

			@Override
			public void epoch(CycleGanTrainer.EpochReport r) {
				int sz = r.previewSize;
				ColorProcessor cp = new ColorProcessor(4 * sz, sz);
				PreviewPlanes.paint(cp, r.previewA, 0, sz);
				PreviewPlanes.paint(cp, r.previewAB, sz, sz);
				PreviewPlanes.paint(cp, r.previewB, 2 * sz, sz);
				PreviewPlanes.paint(cp, r.previewBA, 3 * sz, sz);
				previews.addSlice(String.format(Locale.ROOT, "epoch %d: A, G_A(A), B, G_B(B); cycle %.4f", r.epoch + 1, r.cycle), cp);
			}
		};
		CycleGanTrainer.Result r = new CycleGanTrainer(s, target.checkpoint, listener, progress).train(a, b, manager());
		String data = folder_a.getName() + " (A) and " + folder_b.getName() + " (B)";
		Path folder = install(target.store, target.name, s, r.gA, s.channelsA, s.channelsB, "A->B", data, target.replacing, r);
		install(target.store, target.name + "_BtoA", s, r.gB, s.channelsB, s.channelsA, "B->A", data,
			target.store.contains(target.name + "_BtoA"), r);
		Map<String, Map<String, WeightTensor>> files = Map.of("latest_net_G_A.pth", r.gA, "latest_net_G_B.pth", r.gB, "latest_net_D_A.pth", r.dA,
			"latest_net_D_B.pth", r.dB);
		files.forEach((name, sd) -> TorchCheckpointWriter.write(folder.resolve(name), sd));
		progress.log("Installed '" + target.name + "' (A->B) and '" + target.name + "_BtoA' (B->A); the reference's four files are in " + folder + ".");
		preview = previews.getSize() == 0 ? null : new ImagePlus("Train CycleGAN preview: " + target.name, previews);
		plot = curve.plot().getImagePlus();
	}

	private static Path install(ModelStore store, String name, CycleGanTrainer.Settings s, Map<String, WeightTensor> g, int in, int out, String direction,
		String data, boolean replace, CycleGanTrainer.Result r)
	{
		ModelCard card = new ModelCard();
		card.name = name;
		card.family = TranslateFamily.NAME;
		card.architecture = s.architecture();
		card.preset = "symmetric";
		card.parameters.put("norm", "instance");
		card.parameters.put("ngf", s.ngf);
		card.parameters.put("input_nc", in);
		card.parameters.put("output_nc", out);
		card.parameters.put("n_blocks", s.blocks);
		card.parameters.put("dropout", false);
		card.description = "CycleGAN generator " + direction + " (" + s.architecture() + ", instance norm) trained by GenIJ on " + data + ".";
		card.provenance.tool = TOOL;
		card.provenance.imported = Instant.now().toString();
		card.provenance.notes.put("epochs", s.epochs);
		card.provenance.notes.put("cropsize", s.cropSize);
		card.provenance.notes.put("lambda_cycle", s.lambdaCycle);
		card.provenance.notes.put("lambda_identity", s.lambdaIdentity);
		card.provenance.notes.put("seed", s.seed);
		if (!r.history.isEmpty()) card.provenance.notes.put("final_cycle_loss", r.history.get(r.history.size() - 1).cycle);
		return store.install(card, g, replace);
	}

}
