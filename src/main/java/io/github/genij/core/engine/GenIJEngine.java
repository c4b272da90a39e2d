package io.github.genij.core.engine;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;

/**
 * Starts DJL's PyTorch engine once per process and answers questions about it.
 * <p>
 * Every GenIJ entry point goes through {@link #get()}, so that native-loading problems surface as
 * one {@link EngineUnavailableException} whose message says what to do, never as a stack trace
 * from deep inside DJL.
 */
public final class GenIJEngine {

	public static final String ENGINE_NAME = "PyTorch";
	/** DJL's own switch: with it set, DJL never downloads natives. */
	public static final String OFFLINE_PROPERTY = "ai.djl.offline";
	/** Set to true (environment or system property) to let DJL download natives on first use. */
	public static final String ALLOW_DOWNLOAD = "GENIJ_ALLOW_DOWNLOAD";

	/** DJL names its native folders like {@code 2.7.1-20250812-cpu-linux-x86_64} or {@code 2.7.1-cu124-...}. */
	private static final Pattern FLAVOUR_IN_FOLDER = Pattern.compile("(?:^|-)(cpu|cu\\d+|rocm\\d*|mps)(?:-|$)");

	private static Engine engine;

	private GenIJEngine() {}

	/** Forbids (or allows) DJL to download natives; takes effect if set before the engine starts. */
	public static void setOffline(boolean offline) {
		System.setProperty(OFFLINE_PROPERTY, Boolean.toString(offline));
	}

	public static boolean isOffline() {
		return Boolean.parseBoolean(Utils.getEnvOrSystemProperty(OFFLINE_PROPERTY, "false"));
	}

	/** The PyTorch engine, started on first use. */
	public static synchronized Engine get() {
		if (engine != null) return engine;
		// A multi-gigabyte CUDA download must never start by surprise: unless someone decided (the
		// property, the environment, or GENIJ_ALLOW_DOWNLOAD=true), GenIJ runs offline.
		if (Utils.getEnvOrSystemProperty(OFFLINE_PROPERTY) == null) {
			setOffline(!Boolean.parseBoolean(Utils.getEnvOrSystemProperty(ALLOW_DOWNLOAD, "false")));
		}
		// DJL finds engines through ServiceLoader on the context class loader; in Fiji that
		// is not the loader that holds the plugin jars.
		CpuKernels.chooseBeforeStart();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(GenIJEngine.class.getClassLoader());
		try {
			engine = Engine.getEngine(ENGINE_NAME);
			return engine;
		}
		catch (Throwable t) {
			throw new EngineUnavailableException(explainStartFailure(t), t);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** The device a choice means on this machine. */
	public static Device device(DeviceChoice choice) {
		return choice.resolve(get().getGpuCount());
	}

	public static EngineReport report() {
		Engine e = get();
		String folder = LibUtils.getLibtorchPath();
		return new EngineReport(Engine.getDjlVersion(), e.getVersion(), flavourOf(folder), e.getGpuCount(),
			nativeSource(), folder, isOffline(), DeviceChoice.AUTO.resolve(e.getGpuCount()).toString(), CpuKernels.applied(),
			ConvolutionCheck.passes());
	}

	static String flavourOf(String nativeFolder) {
		Path name = Paths.get(nativeFolder).getFileName();
		Matcher m = FLAVOUR_IN_FOLDER.matcher(name == null ? "" : name.toString());
		if (m.find()) return m.group(1);
		String flavor = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
		return flavor == null ? "unknown" : flavor;
	}

	private static String nativeSource() {
		if (Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") != null)
			return "PYTORCH_LIBRARY_PATH (a libtorch folder chosen by the user)";
		if (!Platform.detectPlatform("pytorch").isPlaceholder())
			return "bundled pytorch-native jar on the class path";
		return "downloaded by DJL into its cache (DJL_CACHE_DIR, default ~/.djl.ai)";
	}

	/** Turns whatever DJL threw into a message a Fiji user can act on. */
	static String explainStartFailure(Throwable t) {
		Throwable root = t;
		while (root.getCause() != null && root.getCause() != root) root = root.getCause();
		String cause = root.getClass().getSimpleName() + ": " + root.getMessage();
		String fixes = "Fix: install GenIJ's native library for your platform from the GenIJ update site, "
			+ "or set PYTORCH_LIBRARY_PATH to a libtorch " + "folder (with PYTORCH_FLAVOR=cpu for a CPU build)";
		if (isOffline()) {
			return "The PyTorch engine could not start and downloads are off (" + OFFLINE_PROPERTY + "=true): "
				+ cause + ". " + fixes + ", or allow DJL's one-time download (set " + ALLOW_DOWNLOAD + "=true in the "
				+ "environment, or start Java with -D" + OFFLINE_PROPERTY + "=false).";
		}
		return "The PyTorch engine could not start: " + cause + ". " + fixes + ".";
	}
}
