package io.github.genij.bench;

import java.io.IOException;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.random.NumpyRandom;
import io.github.genij.stylegan.StyleGan2;
import io.github.genij.stylegan.StyleGanArch;

/**
 * Peak memory of one 1024x1024 image from a config-f StyleGAN2 (full width, random weights, batch 1): the
 * resident memory the forward pass adds at its peak (high-water mark reset after a warm-up image), against
 * the same figure of the same network in Debian's PyTorch (bench/python/stylegan_native.py, its own
 * process). Run in a fresh JVM. Ratio = ours / PyTorch; goal &le; 1.1.
 */
final class StyleGanMemoryBench {

	private StyleGanMemoryBench() {}

	static void run() {
		java.nio.file.Path folder = Benchmarks.folder("stylegan");
		Map<String, String> py = folder == null ? null : Benchmarks.python("stylegan_native.py", folder.toString(),
			Integer.toString(Benchmarks.threads()), "memory");
		if (py == null) return;
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("z_dim", 512);
		p.put("w_dim", 512);
		p.put("resolution", 1024);
		p.put("img_channels", 3);
		p.put("mapping_layers", 8);
		Map<String, Integer> channels = new LinkedHashMap<>();
		for (int r = 4; r <= 1024; r *= 2) channels.put(String.valueOf(r), Math.min(32768 / r, 512));
		p.put("channels", channels);
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			StyleGan2 net = new StyleGan2(StyleGanArch.fromParameters(p)))
		{
			net.initialise(1, m);
			net.train(false);
			double[] z = NumpyRandom.randn(0, 512);
			image(net, z, m); // warm: allocator and kernels as after a first image
			if (!ResidentMemory.resetPeak()) {
				System.out.println("  stylegan-memory: cannot reset the resident high-water mark here (/proc/self/clear_refs)");
				return;
			}
			long before = ResidentMemory.bytes("VmRSS");
			image(net, z, m);
			double added = (ResidentMemory.bytes("VmHWM") - before) / 1048576.0, theirs = Double.parseDouble(py.get("added_mb"));
			System.out.printf("stylegan-memory benchmark, 1024x1024 config-f (%.0f MB of weights), batch 1; ratio = ours / PyTorch (%s)%n",
				net.parameterCount() * 4 / 1048576.0, py.get("torch"));
			System.out.printf("  added at peak  ratio %.2f  (ours %.0f MB, PyTorch %.0f MB)%n", added / theirs, added, theirs);
		}
		catch (IOException e) {
			System.out.println("  stylegan-memory: " + e.getMessage());
		}
	}

	private static void image(StyleGan2 net, double[] z, NDManager m) {
		try (NDManager s = m.newSubManager()) {
			NDArray y = net.generate(z, 0, 1, null, "const", 0, s);
			y.attach(s);
			y.toByteBuffer(true);
		}
	}
}
