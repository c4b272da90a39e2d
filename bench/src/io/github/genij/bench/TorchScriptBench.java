package io.github.genij.bench;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.Weights;
import io.github.genij.style.StyleBenchmarks;
import io.github.genij.translate.TranslateBenchmarks;

/**
 * The like-for-like anchor: the same networks (U-Net-256, ResNet-9, AdaIN's encoder and decoder) traced
 * to TorchScript by Debian's torch (bench/python/torchscript_export.py) and run by the same libtorch
 * through DJL (how deepImageJ/JDLL run PyTorch models in Fiji), against GenIJ's module trees on the same
 * weights and input; outputs checked to agree first. Ratio = ours / TorchScript; goal &le; 1.05.
 */
final class TorchScriptBench {

	private TorchScriptBench() {}

	static void run() {
		Path folder = Benchmarks.folder("torchscript");
		if (folder == null || Benchmarks.python("torchscript_export.py", folder.toString()) == null) return;
		System.out.println("torchscript benchmark, 256x256, " + Benchmarks.threads() + " thread(s), one libtorch (" +
			GenIJEngine.get().getVersion() + "); ratio = ours / TorchScript; <= 1.05 is the goal");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			for (String name : new String[] { "unet256", "resnet9", "adain" }) {
				NDArray x = Safetensors.read(folder.resolve(name + ".in.safetensors")).get("x").toNDArray(m);
				NDArray expected = Safetensors.read(folder.resolve(name + ".out.safetensors")).get("y").toNDArray(m);
				try (Model script = Model.newInstance(name, Device.cpu(), "PyTorch"); AutoCloseable ours = load(folder, name, m)) {
					script.load(folder, name);
					ParameterStore store = new ParameterStore(m, false);
					UnaryOperator<NDArray> theirs = in -> script.getBlock().forward(store, new NDList(in), false).singletonOrThrow();
					UnaryOperator<NDArray> mine = forward(ours);
					double errMine = maxDifference(mine, x, expected, m), errTheirs = maxDifference(theirs, x, expected, m);
					long[] t = Benchmarks.pairedMedians(3, 15, () -> time(theirs, x, m), () -> time(mine, x, m));
					System.out.printf("  %-8s ratio %.2f  (ours %.0f ms, TorchScript %.0f ms; largest difference from PyTorch: ours %.1e," +
						" TorchScript %.1e)%n", name, t[1] / (double) t[0], t[1] / 1e6, t[0] / 1e6, errMine, errTheirs);
				}
				catch (Exception e) {
					System.out.println("  " + name + ": " + e);
				}
			}
		}
	}

	private static AutoCloseable load(Path folder, String name, NDManager m) {
		if (name.equals("adain")) {
			return StyleBenchmarks.adain(Weights.stateDict(folder.resolve("adain_encoder.pth")),
				Weights.stateDict(folder.resolve("adain_decoder.pth")), m);
		}
		return TranslateBenchmarks.load(Weights.stateDict(folder.resolve(name + ".pth")), m);
	}

	private static UnaryOperator<NDArray> forward(AutoCloseable net) {
		if (net instanceof TranslateBenchmarks.Forward) return ((TranslateBenchmarks.Forward) net)::apply;
		return ((StyleBenchmarks.AdaIn) net)::encodeDecode;
	}

	private static void time(UnaryOperator<NDArray> f, NDArray x, NDManager m) {
		try (NDManager s = m.newSubManager()) {
			x.tempAttach(s);
			NDArray y = f.apply(x);
			y.toByteBuffer(true); // the result as a caller reads it
		}
	}

	private static double maxDifference(UnaryOperator<NDArray> f, NDArray x, NDArray expected, NDManager m) {
		try (NDManager s = m.newSubManager()) {
			x.tempAttach(s);
			return f.apply(x).sub(expected).abs().max().getFloat();
		}
	}
}
