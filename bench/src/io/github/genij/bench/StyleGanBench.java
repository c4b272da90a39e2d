package io.github.genij.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.Weights;
import io.github.genij.stylegan.StyleGan2;
import io.github.genij.stylegan.StyleGanModels;

/**
 * One image (mapping and synthesis, constant noise) of a 256x256 StyleGAN2 of config-f's shape at reduced
 * width, random weights: GenIJ's module tree against the same network in Debian's PyTorch
 * (bench/python/stylegan_native.py, NVIDIA's generator re-written) and against its TorchScript trace run by
 * the same libtorch through DJL. Outputs are compared first. Ratios = ours / baseline; goals &le; 1.1 and
 * &le; 1.05.
 */
final class StyleGanBench {

	private StyleGanBench() {}

	static void run() {
		int threads = Benchmarks.threads();
		Path folder = Benchmarks.folder("stylegan");
		Map<String, String> py = folder == null ? null : Benchmarks.python("stylegan_native.py", folder.toString(),
			Integer.toString(threads), "speed");
		if (py == null) return;
		System.out.println("stylegan benchmark, 256x256 (channel_base 16384, max 256, 8 mapping layers), " + threads +
			" thread(s); ratios = ours (libtorch " + GenIJEngine.get().getVersion() + ") / baseline");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			StyleGan2 ours = StyleGanModels.load(new ModelStore.Installed(null, Weights.stateDict(folder.resolve("g256.pth")), folder), m);
			Model script = Model.newInstance("g256", Device.cpu(), "PyTorch"))
		{
			script.load(folder, "g256");
			Map<String, ai.djl.ndarray.NDArray> io = Map.of("z", Safetensors.read(folder.resolve("g256.io.safetensors")).get("z").toNDArray(m),
				"y", Safetensors.read(folder.resolve("g256.io.safetensors")).get("y").toNDArray(m));
			double[] z = NumpyRandom.randn(0, 512);
			ParameterStore store = new ParameterStore(m, false);
			Function<NDManager, NDArray> mine = s -> ours.generate(z, 0, 1, null, "const", 0, s);
			Function<NDManager, NDArray> theirs = s -> {
				NDArray in = io.get("z").duplicate();
				in.attach(s);
				return script.getBlock().forward(store, new NDList(in), false).singletonOrThrow();
			};
			double errMine = Benchmarks.largestDifference(mine, io.get("y"), m), errScript = Benchmarks.largestDifference(theirs, io.get("y"), m);
			long[] t = Benchmarks.pairedMedians(2, 9, () -> Benchmarks.timeForward(theirs, m), () -> Benchmarks.timeForward(mine, m));
			double pytorch = Double.parseDouble(py.get("g256"));
			System.out.printf("  g256 vs PyTorch (%s)  ratio %.2f  (ours %.0f ms, PyTorch %.0f ms)%n", py.get("torch"),
				t[1] / 1e6 / pytorch, t[1] / 1e6, pytorch);
			System.out.printf("  g256 vs TorchScript  ratio %.2f  (ours %.0f ms, TorchScript %.0f ms; largest difference from " +
				"PyTorch: ours %.1e, TorchScript %.1e)%n", t[1] / (double) t[0], t[1] / 1e6, t[0] / 1e6, errMine, errScript);
		}
		catch (Exception e) {
			System.out.println("  stylegan: " + e);
		}
	}
}
