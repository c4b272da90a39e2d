package io.github.genij.core.engine;

import java.util.Locale;

import ai.djl.Device;
import io.github.genij.core.GenIJException;

/**
 * Where a network runs, as the user says it: {@code auto} (the first GPU if there is one, else the
 * CPU), {@code cpu}, or {@code gpu0}, {@code gpu1}, ... ({@code gpu} alone means {@code gpu0}).
 */
public final class DeviceChoice {

	public static final DeviceChoice AUTO = new DeviceChoice(-2);
	public static final DeviceChoice CPU = new DeviceChoice(-1);

	/** -2 auto, -1 CPU, n &ge; 0 that GPU. */
	private final int index;

	private DeviceChoice(int index) {
		this.index = index;
	}

	public static DeviceChoice gpu(int index) {
		if (index < 0) throw new IllegalArgumentException("GPU index must be >= 0: " + index);
		return new DeviceChoice(index);
	}

	/** Parses a macro or CLI value; a blank value means {@code auto}. */
	public static DeviceChoice parse(String text) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
		if (t.isEmpty() || t.equals("auto")) return AUTO;
		if (t.equals("cpu")) return CPU;
		if (t.startsWith("gpu")) {
			String n = t.substring(3);
			if (n.isEmpty()) return gpu(0);
			try {
				return gpu(Integer.parseInt(n));
			}
			catch (NumberFormatException e) {
				// fall through to the message below
			}
		}
		throw new GenIJException("Unknown device '" + text + "'. Use auto, cpu, or gpu0, gpu1, ...");
	}

	/** The DJL device for this choice, given how many GPUs the engine sees. */
	public Device resolve(int gpuCount) {
		if (index == -2) return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
		if (index == -1) return Device.cpu();
		if (index >= gpuCount) {
			String have = gpuCount == 0 ? "no GPU PyTorch can use"
				: gpuCount == 1 ? "one GPU (gpu0)" : gpuCount + " GPUs (gpu0 to gpu" + (gpuCount - 1) + ")";
			throw new GenIJException("Device gpu" + index + " was asked for, but this machine has " + have +
				". Use device=auto or device=cpu.");
		}
		return Device.gpu(index);
	}

	@Override
	public String toString() {
		return index == -2 ? "auto" : index == -1 ? "cpu" : "gpu" + index;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof DeviceChoice && ((DeviceChoice) o).index == index;
	}

	@Override
	public int hashCode() {
		return index;
	}
}
