package io.github.genij.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.core.weights.Weights;
import io.github.genij.pixelcnn.Canvas;
import io.github.genij.pixelcnn.PixelCnnModels;
import io.github.genij.pixelcnn.PixelCnnPP;
import io.github.genij.pixelcnn.PixelSampler;

/**
 * A CIFAR-sized PixelCNN++ (nr_resnet 5, nr_filters 160, 10 logistics, RGB 32x32), random weights: one forward
 * pass against the same network in Debian's PyTorch (bench/python/pixelcnn_native.py) and its TorchScript trace
 * in the same libtorch (outputs compared first); then sampling the first two rows (64 pixels) row by row against
 * the reference's way, a pass over the whole image per pixel, with the same seed: the samples must be identical;
 * then a whole image row by row, whose time per pixel against the whole-image pass's is the speed-up (goal &ge;
 * 10). Rows 0-1 alone understate it: row 0 computes every resolution.
 */
final class PixelCnnBench {

	private PixelCnnBench() {}

	static void run() {
		int threads = Benchmarks.threads();
		Path folder = Benchmarks.folder("pixelcnn");
		Map<String, String> py = folder == null ? null : Benchmarks.python("pixelcnn_native.py", folder.toString(), Integer.toString(threads));
		if (py == null) return;
		System.out.println("pixelcnn benchmark, PixelCNN++ nr_resnet 5, nr_filters 160, RGB 32x32, " + threads + " thread(s); ratios = ours (libtorch " +
			GenIJEngine.get().getVersion() + ") / baseline unless said");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			PixelCnnPP ours = PixelCnnModels.loadPixelCnnPP(new ModelStore.Installed(null, Weights.stateDict(folder.resolve("pcnn.pth")), folder), m);
			Model script = Model.newInstance("pcnn", Device.cpu(), "PyTorch"))
		{
			script.load(folder, "pcnn");
			Map<String, io.github.genij.core.weights.WeightTensor> io = Safetensors.read(folder.resolve("pcnn.io.safetensors"));
			NDArray x = io.get("x").toNDArray(m), y = io.get("y").toNDArray(m);
			ParameterStore store = new ParameterStore(m, false);
			Function<NDManager, NDArray> mine = s -> {
				NDArray in = x.duplicate();
				in.attach(s);
				return ours.forward(in);
			};
			Function<NDManager, NDArray> theirs = s -> {
				NDArray in = x.duplicate();
				in.attach(s);
				return script.getBlock().forward(store, new NDList(in), false).singletonOrThrow();
			};
			double errMine = Benchmarks.largestDifference(mine, y, m), errScript = Benchmarks.largestDifference(theirs, y, m);
			long[] t = Benchmarks.pairedMedians(1, 5, () -> Benchmarks.timeForward(theirs, m), () -> Benchmarks.timeForward(mine, m));
			double pytorch = Double.parseDouble(py.get("forward"));
			System.out.printf("  forward vs PyTorch (%s)  ratio %.2f  (ours %.0f ms, PyTorch %.0f ms)%n", py.get("torch"), t[1] / 1e6 / pytorch,
				t[1] / 1e6, pytorch);
			System.out.printf("  forward vs TorchScript  ratio %.2f  (ours %.0f ms, TorchScript %.0f ms; largest difference from PyTorch: ours " +
				"%.1e, TorchScript %.1e)%n", t[1] / (double) t[0], t[1] / 1e6, t[0] / 1e6, errMine, errScript);

			boolean[] firstRows = new boolean[32 * 32];
			Arrays.fill(firstRows, 0, 64, true);
			long[] nanos = new long[2];
			int[][] samples = new int[2][];
			PixelSampler.Passes[] ways = { PixelSampler.Passes.WHOLE_IMAGE, PixelSampler.Passes.ROW_BY_ROW };
			for (int i = 0; i < 2; i++) {
				Canvas c = new Canvas(1, 3, 32, 32);
				long t0 = System.nanoTime();
				new PixelSampler(ours, DataType.FLOAT32, ways[i]).draw(c, firstRows, 7, 1, m, Progress.NONE);
				nanos[i] = System.nanoTime() - t0;
				samples[i] = c.levels;
			}
			System.out.printf("  sampling 64 pixels (rows 0-1 of 32x32), row by row vs a whole-image pass per pixel (the reference's)  speed-up " +
				"%.1f  (%.0f ms vs %.0f ms per pixel); samples %s%n", nanos[0] / (double) nanos[1], nanos[1] / 64e6, nanos[0] / 64e6,
				Arrays.equals(samples[0], samples[1]) ? "identical" : "DIFFERENT");
			Canvas whole = new Canvas(1, 3, 32, 32);
			long t0 = System.nanoTime();
			new PixelSampler(ours, DataType.FLOAT32).draw(whole, null, 7, 1, m, Progress.NONE);
			double wholeNanos = System.nanoTime() - t0;
			System.out.printf("  a whole 32x32 image row by row: %.1f s, %.0f ms per pixel: speed-up over a whole image %.1f (against the " +
				"whole-image pass per pixel above)%n", wholeNanos / 1e9, wholeNanos / 1024e6, nanos[0] / 64.0 / (wholeNanos / 1024));
		}
		catch (Exception e) {
			System.out.println("  pixelcnn: " + e);
		}
	}
}
