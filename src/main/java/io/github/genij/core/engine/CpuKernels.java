package io.github.genij.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Chooses which of oneDNN's CPU kernels libtorch may use, before the engine starts.
 * <p>
 * Measured here (libtorch 2.7.1, AMD EPYC with AVX-512): oneDNN's AVX-512 and AVX2 kernels for the
 * input gradient of a stride-1 convolution return wrong values, or NaN, whenever libtorch hands the
 * convolution to oneDNN (a batch above 1, kernels larger than 3x3, or inputs above 20480 values). The
 * forward pass is right; training and Gatys' optimisation are silently wrong. Capping oneDNN at its AVX
 * kernels gives correct gradients and, on that machine, faster forward convolutions too. oneDNN reads
 * {@value #VARIABLE} when it first runs a kernel, so setting it in the process before the first
 * convolution is enough. The cap is applied on AMD processors only, where it was seen, and never over
 * a value the user set.
 */
final class CpuKernels {

	static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
	static final String CAP = "AVX";

	private interface CLibrary extends Library {
		int setenv(String name, String value, int overwrite);
	}

	private static String applied;

	private CpuKernels() {}

	/** Sets the cap where it is needed; remembers what it did for the engine report. */
	static synchronized void chooseBeforeStart() {
		if (applied != null) return;
		String user = System.getenv(VARIABLE);
		if (user != null) applied = VARIABLE + "=" + user + " (set by the environment)";
		else if (!isLinuxAmd()) applied = "oneDNN's default";
		else {
			try {
				Native.load("c", CLibrary.class).setenv(VARIABLE, CAP, 0);
				applied = VARIABLE + "=" + CAP + " (set by GenIJ: the AVX-512/AVX2 convolution gradients of this libtorch are wrong on AMD processors)";
			}
			catch (Throwable t) {
				applied = "oneDNN's default (could not set " + VARIABLE + ": " + t.getMessage() + ")";
			}
		}
	}

	static synchronized String applied() {
		return applied == null ? "oneDNN's default" : applied;
	}

	private static boolean isLinuxAmd() {
		Path cpuinfo = Paths.get("/proc/cpuinfo");
		if (!Files.isReadable(cpuinfo)) return false;
		try {
			return new String(Files.readAllBytes(cpuinfo), StandardCharsets.US_ASCII).contains("AuthenticAMD");
		}
		catch (IOException e) {
			return false;
		}
	}
}
