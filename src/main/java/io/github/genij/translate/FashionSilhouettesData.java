package io.github.genij.translate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import io.github.genij.core.GenIJException;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.ij.demo.TrainingData;

/** {@code genij data fashion-silhouettes [folder] [sheets]}: pix2pix training pairs from Debian's Fashion-MNIST. */
public final class FashionSilhouettesData implements TrainingData {

	@Override
	public String name() {
		return "fashion-silhouettes";
	}

	@Override
	public String usage() {
		return "fashion-silhouettes [folder] [sheets]   (pix2pix training pairs from Debian's Fashion-MNIST)";
	}

	@Override
	public void make(List<String> args, PrintStream out) {
		Path folder = !args.isEmpty() ? Paths.get(args.get(0)) : Paths.get("target", "data", "fashion-silhouettes");
		int sheets;
		try {
			sheets = args.size() > 1 ? Integer.parseInt(args.get(1)) : 600;
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("The number of sheets must be a whole number, not '" + args.get(1) + "'.");
		}
		if (sheets < 1) throw new IllegalArgumentException("The number of sheets must be at least 1, not " + sheets + ".");
		Path idx = DemoData.fashionMnist(Paths.get("target", "demo-data"), out);
		if (idx == null) throw new GenIJException("Fashion-MNIST could not be fetched (apt-get download dataset-fashion-mnist).");
		FashionSilhouettes.read(idx, "train").writeSheets(folder.resolve("train"), sheets);
		FashionSilhouettes.read(idx, "t10k").writeSheets(folder.resolve("test"), 20);
		out.println("Wrote " + sheets + " training and 20 test sheets (A: silhouettes, B: items) into " + folder + "/{train,test}/{A,B}.");
	}
}
