package io.github.genij.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.Device;
import io.github.genij.core.GenIJException;

class GenIJEngineTest {

	@Test
	void startsOfflineFromTheBundledNativesAndReportsThem() {
		EngineReport r = GenIJEngine.report();
		assertEquals("2.7.1", r.torchVersion);
		assertEquals("0.35.1", r.djlVersion);
		assertTrue(r.offline, "tests run with -Dai.djl.offline=true");
		assertTrue(r.nativeSource.contains("bundled"), r.nativeSource);
		// This CI machine has no GPU; a GPU machine reports a cuXXX flavour instead.
		if (r.gpuCount == 0) {
			assertEquals("cpu", r.flavour);
			assertEquals("cpu()", r.defaultDevice);
		}
		String text = r.toText();
		assertTrue(text.contains("engine: PyTorch 2.7.1"), text);
		assertTrue(text.contains("gpus: " + r.gpuCount), text);
	}

	/**
	 * Every network rests on convolutions, training and Gatys on their input gradients. libtorch 2.7.1's
	 * oneDNN kernels get both wrong on some processors (AMD with AVX-512 here); the engine must then have
	 * capped them (CpuKernels).
	 */
	@Test
	void convolutionsAndTheirGradientsAreRightOnThisMachine() {
		EngineReport r = GenIJEngine.report();
		assertTrue(r.gradientsCorrect, r.toText());
		assertTrue(r.toText().contains("convolutions and their gradients: correct"), r.toText());
	}

	/**
	 * A wider scan than the engine's own check: GenIJ's convolutions (3x3 and 1x1) with input channels that
	 * are and are not multiples of 8, on images up to 72x48, float32 against float64. With oneDNN's AVX or
	 * AVX2 kernels and no channel padding, 20 of these were wrong here by about a third of the output range.
	 */
	@Test
	void convolutionsWithAnyChannelCountAreRight() {
		try (ai.djl.ndarray.NDManager m = GenIJEngine.get().newBaseManager(ai.djl.Device.cpu()); NoGrad g = NoGrad.enter()) {
			java.util.List<String> wrong = new java.util.ArrayList<>();
			for (int in : new int[] { 3, 8, 9, 13, 14, 17, 31 })
				for (int out : new int[] { 3, 8, 16, 128 })
					for (int side : new int[] { 16, 32, 48 })
						for (int k : new int[] { 1, 3 }) {
							ai.djl.ndarray.types.Shape xs = new ai.djl.ndarray.types.Shape(1, in, side, side * 3 / 2);
							ai.djl.ndarray.NDArray x = m.randomNormal(xs), w = m.randomNormal(new ai.djl.ndarray.types.Shape(out, in, k, k));
							ai.djl.ndarray.types.Shape one = new ai.djl.ndarray.types.Shape(1, 1), pad = new ai.djl.ndarray.types.Shape(k / 2, k / 2);
							ai.djl.ndarray.NDArray y = io.github.genij.core.nn.Convolutions.conv2d(x, w, null, one, pad, 1)
								.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
							ai.djl.ndarray.NDArray e = ai.djl.nn.convolutional.Conv2d.conv2d(x.toType(ai.djl.ndarray.types.DataType.FLOAT64, false),
								w.toType(ai.djl.ndarray.types.DataType.FLOAT64, false), null, one, pad, one).get(0);
							double err = y.sub(e).abs().max().getDouble() / e.abs().max().getDouble();
							if (err > 1e-4) wrong.add(in + "->" + out + " " + k + "x" + k + " at " + side + ": " + err);
						}
			assertTrue(wrong.isEmpty(), "wrong convolutions (" + CpuKernels.applied() + "): " + wrong);
		}
	}

	@Test
	void startFailureMessageSaysWhatToDo() {
		String m = GenIJEngine.explainStartFailure(new RuntimeException("wrapper",
			new UnsatisfiedLinkError("libtorch.so: cannot open shared object file")));
		assertTrue(m.contains("libtorch.so: cannot open shared object file"), m);
		assertTrue(m.contains("PYTORCH_LIBRARY_PATH"), m);
		assertTrue(m.contains("update site"), m);
	}

	@Test
	void flavourComesFromTheNativeFolderName() {
		assertEquals("cpu", GenIJEngine.flavourOf("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64"));
		assertEquals("cu124", GenIJEngine.flavourOf("/x/pytorch/2.7.1-cu124-linux-x86_64"));
	}

	@Test
	void deviceChoicesParseAndResolve() {
		assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" Auto "));
		assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(""));
		assertEquals(DeviceChoice.CPU, DeviceChoice.parse("CPU"));
		assertEquals(DeviceChoice.gpu(0), DeviceChoice.parse("gpu"));
		assertEquals(DeviceChoice.gpu(1), DeviceChoice.parse("GPU 1"));
		assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve(0));
		assertEquals(Device.gpu(0), DeviceChoice.AUTO.resolve(2));
		assertEquals(Device.gpu(1), DeviceChoice.gpu(1).resolve(2));
		GenIJException e = assertThrows(GenIJException.class, () -> DeviceChoice.gpu(1).resolve(1));
		assertTrue(e.getMessage().contains("one GPU (gpu0)"), e.getMessage());
		assertThrows(GenIJException.class, () -> DeviceChoice.parse("tpu"));
	}
}
