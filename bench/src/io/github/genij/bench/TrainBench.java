package io.github.genij.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.translate.TranslateBenchmarks;

/**
 * One pix2pix training step (U-Net-128, ngf 64, PatchGAN ndf 64, 128x128 RGB, batch 1) against the
 * reference's step in PyTorch (bench/python/train_native.py) with the same thread count. Ours includes
 * the pair's jitter, which the reference does in its data-loader workers. Ratio = ours / PyTorch; goal
 * &le; 1.1.
 */
final class TrainBench {

	private TrainBench() {}

	static void run() {
		int threads = Benchmarks.threads(), downs = 7, ngf = 64, size = 128;
		Path folder = Benchmarks.folder("train");
		Map<String, String> theirs = folder == null ? null : Benchmarks.python("train_native.py", Integer.toString(downs),
			Integer.toString(ngf), Integer.toString(size), Integer.toString(threads));
		if (theirs == null) return;
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			double ours = TranslateBenchmarks.trainingStepMs(downs, ngf, size, 2, 7, folder, m);
			double t = Double.parseDouble(theirs.get("step"));
			System.out.printf("train benchmark, pix2pix step, U-Net-128 ngf 64, %dx%d, %d thread(s): ratio %.2f (ours %.0f ms with " +
				"libtorch %s, PyTorch %s %.0f ms); <= 1.1 is the goal%n", size, size, threads, ours / t, ours,
				GenIJEngine.get().getVersion(), theirs.get("torch"), t);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
