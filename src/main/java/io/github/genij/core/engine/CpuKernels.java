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
 * convolution to oneDNN (a batch above 1, kernels larger than 3x3, or inputs above 20480 values); and its
 * AVX, AVX2 and AVX-512 forward kernels are wrong, by a third of the output range, for 3x3 convolutions
 * whose input channels are not a multiple of 8 (13, 14, 17 of those scanned) on images of 32x48 and more:
 * a SPADE or OASIS label embedding, for one. Capping at SSE4.1 fixes both but costs up to 3x (ResNet-9);
 * capping at AVX fixes the gradients, and padding such inputs with zero channels to a multiple of 8
 * ({@link io.github.genij.core.nn.Convolutions}) fixes the forward passes (1080 shapes scanned, all right).
 * oneDNN reads
 * {@value #VARIABLE} when it first runs a kernel, so setting it in the process before the first
 * convolution is enough. The cap is applied on AMD processors only, where it was seen, and never over
 * a value the user set.
 */
public final class CpuKernels {

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
				applied = VARIABLE + "=" + CAP + " and input channels padded to multiples of 8 (set by GenIJ: this libtorch's " +
					"AVX2/AVX-512 convolution gradients and its vector kernels' forward passes for other channel counts are wrong " +
					"on AMD processors)";
			}
			catch (Throwable t) {
				applied = "oneDNN's default (could not set " + VARIABLE + ": " + t.getMessage() + ")";
			}
		}
	}

	/**
	 * Whether convolutions must pad their input channels to a multiple of 8: where GenIJ capped the kernels
	 * (AMD), or where the user capped them at AVX or AVX2 themselves.
	 */
	public static boolean padsChannels() {
		return Padding.NEEDED; // asked on every convolution: decided once
	}

	private static final class Padding {
		static final boolean NEEDED = decide();

		private static boolean decide() {
			String user = System.getenv(VARIABLE);
			if (user != null) return user.startsWith("AVX"); // SSE41 and below compute right
			return isLinuxAmd();
		}
	}

	public static synchronized String applied() {
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
