package io.github.genij.bench;

import java.nio.file.Path;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.weights.Weights;
import io.github.genij.translate.TranslateBenchmarks;

/**
 * Forward pass of pix2pix's U-Net-256 (batch norm, running statistics) and CycleGAN's ResNet-9 (instance
 * norm), ngf 64, 256x256, against PyTorch (bench/python/translate_native.py) on the same weights and
 * threads. Ratio = ours / PyTorch; goal &le; 1.1.
 */
final class TranslateBench {

	private TranslateBench() {}

	static void run() {
		int threads = Benchmarks.threads();
		Path folder = Benchmarks.folder("translate");
		Map<String, String> theirs = folder == null ? null : Benchmarks.python("translate_native.py", folder.toString(), Integer.toString(threads));
		if (theirs == null) return;
		System.out.println("translate benchmark, 256x256, " + threads + " thread(s); ratio = ours (libtorch " +
			GenIJEngine.get().getVersion() + ") / PyTorch (" + theirs.get("torch") + "); <= 1.1 is the goal");
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			NDArray x = m.randomUniform(-1, 1, new Shape(1, 3, 256, 256));
			for (String name : new String[] { "unet256", "resnet9" }) {
				try (TranslateBenchmarks.Forward f = TranslateBenchmarks.load(Weights.stateDict(folder.resolve(name + ".pth")), m)) {
					double ours = Benchmarks.medianNanos(2, 5, () -> {
						try (NDManager s = m.newSubManager()) {
							NDArray y = f.apply(x);
							y.attach(s);
							y.toByteBuffer(true);
						}
					}) / 1e6;
					double t = Double.parseDouble(theirs.get(name));
					System.out.printf("  %-10s ratio %.2f  (ours %.0f ms, PyTorch %.0f ms)%n", name, ours / t, ours, t);
				}
			}
		}
	}
}
