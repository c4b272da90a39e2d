package io.github.genij.core.tiling;

import java.util.Locale;

/** Tells whether a failure was the machine running out of memory, on the CPU or the GPU. */
public final class OutOfMemory {

	private OutOfMemory() {}

	public static boolean isOutOfMemory(Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
			if (c instanceof OutOfMemoryError) return true;
			String m = c.getMessage();
			if (m == null) continue;
			m = m.toLowerCase(Locale.ROOT);
			// libtorch: "CUDA out of memory", "DefaultCPUAllocator: not enough memory",
			// "can't allocate memory", and cuDNN's "CUDNN_STATUS_ALLOC_FAILED".
			if (m.contains("out of memory") || m.contains("not enough memory") || m.contains("can't allocate memory") ||
				m.contains("alloc_failed")) return true;
		}
		return false;
	}
}
