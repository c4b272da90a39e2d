package io.github.genij.core.random;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The natural logarithm of this machine's C library, which numpy's legacy Gaussian calls. Neither Java's
 * logarithms nor a correctly rounded one reproduce it bit for bit: glibc's {@code log} (since 2.28) is
 * accurate to 0.52 ulp, not correctly rounded, and gives the other neighbour for about 1 value in 2,700
 * (seeds 0..999 here: 186 of 512,000 differ from the correctly rounded value by one ulp). Calling the same
 * function numpy calls gives numpy's latents exactly; where it cannot be found, Java's {@code Math.log}
 * (correctly rounded in all but such cases) is used.
 */
public final class PlatformLog {

	private static final Function LOG = find();

	private PlatformLog() {}

	private static Function find() {
		try {
			NativeLibrary lib = NativeLibrary.getInstance(Platform.isWindows() ? "msvcrt" : Platform.isMac() ? "c" : "m");
			Function log = lib.getFunction("log");
			// a sanity check: a library whose 'log' is not the natural logarithm is not used
			return Math.abs(log.invokeDouble(new Object[] { Math.E }) - 1) < 1e-15 ? log : null;
		}
		catch (UnsatisfiedLinkError | RuntimeException e) {
			return null;
		}
	}

	public static double log(double x) {
		return LOG != null ? LOG.invokeDouble(new Object[] { x }) : Math.log(x);
	}

	/** Whether the C library's logarithm is in use (else Java's). */
	public static boolean isNative() {
		return LOG != null;
	}
}
