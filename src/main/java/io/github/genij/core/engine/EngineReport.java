package io.github.genij.core.engine;

/** What the running PyTorch engine is, for people and for bug reports. */
public final class EngineReport {

	public final String djlVersion;
	public final String torchVersion;
	/** {@code cpu}, or the CUDA build such as {@code cu124}. */
	public final String flavour;
	public final int gpuCount;
	/** Where the natives came from: a bundled jar, an override folder, or a download. */
	public final String nativeSource;
	public final String nativeFolder;
	public final boolean offline;
	public final String defaultDevice;
	/** Which oneDNN CPU kernels libtorch may use ({@link CpuKernels}). */
	public final String cpuKernels;
	/** Whether convolutions and their input gradients are right on this machine ({@link ConvolutionCheck}). */
	public final boolean gradientsCorrect;

	EngineReport(String djlVersion, String torchVersion, String flavour, int gpuCount,
		String nativeSource, String nativeFolder, boolean offline, String defaultDevice, String cpuKernels,
		boolean gradientsCorrect)
	{
		this.cpuKernels = cpuKernels;
		this.gradientsCorrect = gradientsCorrect;
		this.djlVersion = djlVersion;
		this.torchVersion = torchVersion;
		this.flavour = flavour;
		this.gpuCount = gpuCount;
		this.nativeSource = nativeSource;
		this.nativeFolder = nativeFolder;
		this.offline = offline;
		this.defaultDevice = defaultDevice;
	}

	/** One fact per line, {@code name: value}, easy to read and to grep. */
	public String toText() {
		return "GenIJ engine report\n" +
			"engine: PyTorch " + torchVersion + " (DJL " + djlVersion + ")\n" +
			"flavour: " + flavour + "\n" +
			"gpus: " + gpuCount + "\n" +
			"device (auto): " + defaultDevice + "\n" +
			"natives: " + nativeSource + "\n" +
			"native folder: " + nativeFolder + "\n" +
			"offline: " + (offline ? "yes (no downloads)" : "no (natives may be downloaded on first use)") + "\n" +
			"cpu kernels: " + cpuKernels + "\n" +
			"convolutions and their gradients: " + (gradientsCorrect ? "correct" : "WRONG. " + ConvolutionCheck.warning()) + "\n";
	}

	@Override
	public String toString() {
		return toText();
	}
}
