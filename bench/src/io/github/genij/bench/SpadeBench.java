package io.github.genij.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.core.weights.Weights;
import io.github.genij.seg2photo.Seg2PhotoFamily;
import io.github.genij.seg2photo.SpadeGenerator;

/**
 * SPADE's forward pass at 256x256 with ADE20K's shape (151 label channels, ngf 64, normal up-sampling), random weights:
 * GenIJ's module tree against the reference generator in Debian's PyTorch (bench/python/spade_native.py) and against its
 * TorchScript trace run by the same libtorch through DJL, from the same one-hot labels. Outputs are compared first.
 * Ratios = ours / baseline; goals &le; 1.1 and &le; 1.05.
 */
final class SpadeBench {

	private SpadeBench() {}

	static void run() {
		int threads = Benchmarks.threads();
		Path folder = Benchmarks.folder("spade");
		Map<String, String> py = folder == null ? null : Benchmarks.python("spade_native.py", folder.toString(), Integer.toString(threads));
		if (py == null) return;
		System.out.println("spade benchmark, 256x256 (151 label channels, ngf 64, normal), " + threads + " thread(s); ratios = ours (libtorch " +
			GenIJEngine.get().getVersion() + ") / baseline");
		Map<String, WeightTensor> sd = Weights.stateDict(folder.resolve("spade.pth"));
		ArchitectureDetector.Detection d = new Seg2PhotoFamily().recognise(ImportRewrites.foldSpectralNorm(sd));
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			SpadeGenerator ours = Module.loaded((SpadeGenerator) new Seg2PhotoFamily().build(d.architecture, d.parameters), sd, m, "SPADE");
			Model script = Model.newInstance("spade", Device.cpu(), "PyTorch"))
		{
			script.load(folder, "spade");
			Map<String, WeightTensor> io = Safetensors.read(folder.resolve("spade.io.safetensors"));
			float[] labels = io.get("labels").toFloats();
			int side = 256, plane = side * side, classes = ours.labelChannels;
			float[] oneHot = new float[classes * plane];
			for (int i = 0; i < plane; i++) oneHot[(int) labels[i] * plane + i] = 1f;
			NDArray seg = m.create(oneHot, new Shape(1, classes, side, side)), y = io.get("y").toNDArray(m);
			ParameterStore store = new ParameterStore(m, false);
			Function<NDManager, NDArray> mine = s -> {
				NDArray in = seg.duplicate();
				in.attach(s);
				return ours.forward(in, null);
			};
			Function<NDManager, NDArray> theirs = s -> {
				NDArray in = seg.duplicate();
				in.attach(s);
				return script.getBlock().forward(store, new NDList(in), false).singletonOrThrow();
			};
			double errMine = Benchmarks.largestDifference(mine, y, m), errScript = Benchmarks.largestDifference(theirs, y, m);
			long[] t = Benchmarks.pairedMedians(2, 7, () -> Benchmarks.timeForward(theirs, m), () -> Benchmarks.timeForward(mine, m));
			double pytorch = Double.parseDouble(py.get("spade256"));
			System.out.printf("  spade256 vs PyTorch (%s)  ratio %.2f  (ours %.0f ms, PyTorch %.0f ms)%n", py.get("torch"), t[1] / 1e6 / pytorch,
				t[1] / 1e6, pytorch);
			System.out.printf("  spade256 vs TorchScript  ratio %.2f  (ours %.0f ms, TorchScript %.0f ms; largest difference from PyTorch: ours %.1e, " +
				"TorchScript %.1e)%n", t[1] / (double) t[0], t[1] / 1e6, t[0] / 1e6, errMine, errScript);
		}
		catch (Exception e) {
			System.out.println("  spade: " + e);
		}
	}
}
