package io.github.genij.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * imglib2 to tensor and back, against {@code System.arraycopy} of the same number of bytes (the tensor's
 * float32 bytes), measured in this run. Goal: ratio &ge; 0.9 for float32 images, where the pooled direct
 * buffer aliased by the tensor makes the conversion one memory copy. DJL's own {@code create(float[])},
 * which makes a fresh direct buffer each call, is printed for contrast.
 */
final class ConversionBench {

	private static final int SIDE = 4096, WARMUP = 5, RUNS = 31;

	private ConversionBench() {}

	static void run() {
		long n = (long) SIDE * SIDE;
		float[] src = new float[(int) n], dst = new float[(int) n];
		for (int i = 0; i < src.length; i++) src[i] = i % 251;
		ArrayImg<FloatType, FloatArray> floats = ArrayImgs.floats(src, SIDE, SIDE);
		ArrayImg<FloatType, FloatArray> floatsBack = ArrayImgs.floats(SIDE, SIDE);
		ArrayImg<UnsignedByteType, ByteArray> bytes = ArrayImgs.unsignedBytes(SIDE, SIDE);
		int k = 0;
		for (UnsignedByteType t : bytes) t.set(k++ % 256);
		ChannelMapping identity = ChannelMapping.identity(1);
		ChannelMapping symmetric = ValuePreset.SYMMETRIC.mapping(ValueRange.BYTE, 1);
		String size = SIDE + "x" + SIDE + " (" + n * 4 / (1 << 20) + " MB of float32)";

		Runnable copy = () -> System.arraycopy(src, 0, dst, 0, src.length);
		try (NDManager base = GenIJEngine.get().newBaseManager()) {
			NDArray tensor = ImageTensors.toTensor(floats, identity, base);
			System.out.println("conversion benchmark, " + size + "; ratio = System.arraycopy time / our time, " +
				"timed alternately (>= 0.9 is the goal for float32)");
			line("to tensor,   float32 image", n, copy, () -> {
				try (NDManager m = base.newSubManager()) {
					ImageTensors.toTensor(floats, identity, m);
				}
			});
			line("from tensor, float32 image", n, copy, () -> ImageTensors.toImage(tensor, identity, floatsBack));
			line("to tensor,   8-bit image mapped to [-1,1]", n, copy, () -> {
				try (NDManager m = base.newSubManager()) {
					ImageTensors.toTensor(bytes, symmetric, m);
				}
			});
			line("from tensor, to 8-bit (rounded, clamped)", n, copy, () -> ImageTensors.toImage(tensor,
				symmetric.inverse(), bytes));
			line("contrast: DJL create(float[]), fresh buffer per call", n, copy, () -> {
				try (NDManager m = base.newSubManager()) {
					m.create(src, new Shape(1, 1, SIDE, SIDE));
				}
			});
		}
	}

	private static void line(String what, long floats, Runnable baseline, Runnable ours) {
		long[] t = Benchmarks.pairedMedians(WARMUP, RUNS, baseline, ours);
		double gbps = floats * 4 / (t[1] / 1e9) / 1e9, copyGbps = floats * 4 / (t[0] / 1e9) / 1e9;
		System.out.printf("  %-55s ratio %.2f  (%.1f GB/s; arraycopy %.1f GB/s)%n", what, (double) t[0] / t[1], gbps,
			copyGbps);
	}
}
