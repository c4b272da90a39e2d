package io.github.genij.bench;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.nn.TransposedConv2d;

/**
 * Our sub-pixel transposed convolution against PyTorch's native {@code conv_transpose2d} (Debian's
 * python3-torch, same machine, same thread count, run from here), on the up-sampling layers of pix2pix's
 * U-Net-256 and CycleGAN's ResNet-9 generator (ngf 64, a 256x256 input). Ratio = our time / native
 * time; goal &le; 1.0.
 */
final class TransposedConvBench {

	private TransposedConvBench() {}

	/** name, in, out, input side, kernel, output_padding. */
	private static final Object[][] SHAPES = {
		{ "unet256 up 512->512 @1", 512, 512, 1, 4, 0 }, { "unet256 up 1024->512 @2", 1024, 512, 2, 4, 0 },
		{ "unet256 up 1024->512 @8", 1024, 512, 8, 4, 0 }, { "unet256 up 1024->256 @16", 1024, 256, 16, 4, 0 },
		{ "unet256 up 512->128 @32", 512, 128, 32, 4, 0 }, { "unet256 up 256->64 @64", 256, 64, 64, 4, 0 },
		{ "unet256 up 128->3 @128", 128, 3, 128, 4, 0 },
		{ "resnet9 up 256->128 @64", 256, 128, 64, 3, 1 }, { "resnet9 up 128->64 @128", 128, 64, 128, 3, 1 },
	};

	static void run() {
		int threads = Benchmarks.threads();
		Map<String, Object> native_ = nativeTimes(threads);
		System.out.println("transposed convolution benchmark, batch 1, " + threads + " thread(s); ratio = ours (DJL, " +
			"libtorch " + GenIJEngine.get().getVersion() + ") / native conv_transpose2d (" + native_.getOrDefault(
				"torch-version", "python torch ?") + "); <= 1.0 is the goal");
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			for (Object[] s : SHAPES) {
				String name = (String) s[0];
				int in = (Integer) s[1], out = (Integer) s[2], size = (Integer) s[3], k = (Integer) s[4], op = (Integer) s[5];
				NDArray x = m.randomNormal(new Shape(1, in, size, size)), w = m.randomNormal(new Shape(in, out, k, k)),
					b = m.randomNormal(new Shape(out));
				// as a network does at inference: weights rearranged once, then applied
				TransposedConv2d layer = TransposedConv2d.prepare(w, new int[] { 2, 2 }, new int[] { 1, 1 },
					new int[] { op, op });
				long ours = Benchmarks.medianNanos(warmup(size), runs(size), () -> {
					try (NDManager step = m.newSubManager()) {
						NDArray y = layer.forward(x, b);
						y.attach(step);
						y.toByteBuffer(true); // waits for the result
					}
				});
				try (NDManager check = m.newSubManager()) {
					NDArray a = layer.forward(x, b), z = zeroInsertion(x, w, b, k, op);
					a.attach(check);
					z.attach(check);
					float diff = a.sub(z).abs().max().getFloat(), scale = z.abs().max().getFloat();
					if (!(diff <= 1e-4f * Math.max(1, scale)))
						System.out.println("  WARNING: zero-insertion baseline disagrees with ours by " + diff + " on " + name);
				}
				long zeros = Benchmarks.medianNanos(warmup(size), runs(size), () -> {
					try (NDManager step = m.newSubManager()) {
						NDArray y = zeroInsertion(x, w, b, k, op);
						y.attach(step);
						y.toByteBuffer(true);
					}
				});
				Double theirs = (Double) native_.get(name);
				System.out.printf("  %-28s ratio %s  (ours %.2f ms, native %s; same engine, zero insertion %.2f ms: " +
					"ratio %.2f)%n", name, theirs == null ? "n/a " : String.format("%.2f", ours / 1e6 / theirs), ours / 1e6,
					theirs == null ? "not measured" : String.format("%.2f ms", theirs), zeros / 1e6, (double) ours / zeros);
			}
		}
	}

	/**
	 * The textbook form in the same engine, for a like-for-like baseline: insert stride-1 zeros between
	 * input pixels, then an ordinary convolution with the flipped, transposed kernel (stride 2, padding 1).
	 */
	static NDArray zeroInsertion(NDArray x, NDArray w, NDArray b, int k, int op) {
		long n = x.getShape().get(0), c = x.getShape().get(1), h = x.getShape().get(2), wd = x.getShape().get(3);
		NDArray z = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(x, x.zerosLike()), 3);
		z = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(z, z.zerosLike()), 5)
			.reshape(n, c, h * 2, wd * 2).get(":, :, 0:" + (2 * h - 1) + ", 0:" + (2 * wd - 1));
		int pad = k - 1 - 1;
		z = z.pad(new Shape(pad, pad + op, pad, pad + op), 0);
		NDArray kernel = w.transpose(1, 0, 2, 3).flip(2, 3);
		return ai.djl.nn.convolutional.Conv2d.conv2d(z, kernel, b).get(0);
	}

	private static int warmup(int size) {
		return size >= 64 ? 3 : 10;
	}

	private static int runs(int size) {
		return size >= 64 ? 9 : 31;
	}

	/** Runs bench/python/conv_transpose_native.py; an empty map (and a note) if the oracle is missing. */
	private static Map<String, Object> nativeTimes(int threads) {
		StringBuilder json = new StringBuilder("[");
		for (Object[] s : SHAPES) {
			if (json.length() > 1) json.append(',');
			json.append(String.format("{\"name\":\"%s\",\"in\":%d,\"out\":%d,\"size\":%d,\"k\":%d,\"op\":%d," +
				"\"warmup\":%d,\"runs\":%d}", s[0], s[1], s[2], s[3], s[4], s[5], warmup((Integer) s[3]), runs((Integer) s[3])));
		}
		json.append(']');
		Map<String, Object> times = new HashMap<>();
		Map<String, String> lines = Benchmarks.python("conv_transpose_native.py", Integer.toString(threads), json.toString());
		if (lines == null) return times;
		for (Map.Entry<String, String> e : lines.entrySet()) {
			if (e.getKey().equals("torch")) times.put("torch-version", "python torch " + e.getValue());
			else times.put(e.getKey(), Double.parseDouble(e.getValue()));
		}
		return times;
	}
}
