package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import ij.ImagePlus;
import io.github.genij.core.weights.Safetensors;
import io.github.genij.testing.Commands;

/** What the progressive generators' tests share: a Sample run against an oracle case's {@code out}, within 1e-4 of its range. */
final class ReferenceImages {

	private ReferenceImages() {}

	/** StyleGAN Sample with {@code keys} (float32 output) gives the oracle's {@code <name>.safetensors} image. */
	static void assertSample(Path folder, String name, Object... keys) throws Exception {
		var r = Commands.run(StyleGanSampleCommand.class, keys);
		assertFalse(r.isCanceled(), name + ": " + r.getCancelReason());
		assertClose(reference(folder, name), (ImagePlus) r.getOutput("result"), name);
	}

	static float[] reference(Path folder, String name) {
		return Safetensors.read(folder.resolve(name + ".safetensors")).get("out").toFloats();
	}

	/** An RGB float32 result against {@code [3, H, W]} reference values: the reference draws something, and ours is within 1e-4 of its range. */
	static void assertClose(float[] want, ImagePlus got, String what) {
		int n = got.getWidth() * got.getHeight();
		assertEquals(want.length, 3 * n, what + ": size");
		double worst = 0, range = 0;
		for (int c = 0; c < 3; c++) {
			float[] plane = (float[]) got.getStack().getPixels(c + 1);
			for (int i = 0; i < n; i++) {
				worst = Math.max(worst, Math.abs(plane[i] - want[c * n + i]));
				range = Math.max(range, Math.abs(want[c * n + i]));
			}
		}
		assertTrue(range > 1e-2, what + ": the reference draws something");
		assertTrue(worst < 1e-4 * Math.max(1, range), what + ": largest difference " + worst + " (range " + range + ")");
	}
}
