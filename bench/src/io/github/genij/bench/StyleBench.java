package io.github.genij.bench;

import java.nio.file.Path;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.weights.Weights;
import io.github.genij.style.StyleBenchmarks;

/**
 * AdaIN's forward pass (256x256 content and style) and one Gatys evaluation (forward and backward of the
 * loss through a full-width VGG-19, 192x192) against the same computations in PyTorch
 * (bench/python/style_native.py, Debian's python3-torch), on the same weights and thread count. Ratio =
 * our time / PyTorch's; goal &le; 1.1.
 */
final class StyleBench {

	private StyleBench() {}

	static void run() {
		int threads = Benchmarks.threads();
		Path folder = Benchmarks.folder("style");
		Map<String, String> theirs = folder == null ? null : Benchmarks.python("style_native.py", folder.toString(), Integer.toString(threads));
		if (theirs == null) return;
		System.out.println("style benchmark, " + threads + " thread(s); ratio = ours (libtorch " + GenIJEngine.get().getVersion() +
			") / PyTorch (" + theirs.get("torch") + "); <= 1.1 is the goal");
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			NDArray content = m.randomUniform(0, 1, new Shape(1, 3, 256, 256)), style = m.randomUniform(0, 1, new Shape(1, 3, 256, 256));
			double adain;
			try (StyleBenchmarks.AdaIn a = StyleBenchmarks.adain(Weights.stateDict(folder.resolve("vgg_normalised.pth")),
				Weights.stateDict(folder.resolve("decoder.pth")), m)) {
				adain = Benchmarks.medianNanos(2, 7, () -> {
					try (NDManager s = m.newSubManager()) {
						NDArray y = a.transfer(content, style);
						y.attach(s);
						y.toByteBuffer(true);
					}
				}) / 1e6;
			}
			line("AdaIN forward, 256x256", adain, theirs.get("adain_256"));
			double gatys;
			try (StyleBenchmarks.GatysEvaluation g = StyleBenchmarks.gatys(Weights.stateDict(folder.resolve("vgg_conv.safetensors")),
				m.randomUniform(-120, 135, new Shape(1, 3, 192, 192)), m.randomUniform(-120, 135, new Shape(1, 3, 192, 192)), m)) {
				gatys = Benchmarks.medianNanos(2, 7, g::evaluate) / 1e6;
			}
			line("Gatys evaluation (loss + gradient), 192x192", gatys, theirs.get("gatys_eval_192"));
		}
	}

	private static void line(String what, double oursMs, String theirsMs) {
		double t = Double.parseDouble(theirsMs);
		System.out.printf("  %-46s ratio %.2f  (ours %.0f ms, PyTorch %.0f ms)%n", what, oursMs / t, oursMs, t);
	}
}
