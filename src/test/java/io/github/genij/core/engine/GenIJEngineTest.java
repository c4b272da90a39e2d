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
	 * Training and Gatys rest on the input gradient of convolutions. libtorch 2.7.1's oneDNN kernels get it
	 * wrong on some processors (AMD with AVX-512 here); the engine must then have capped them (CpuKernels).
	 */
	@Test
	void convolutionGradientsAreRightOnThisMachine() {
		EngineReport r = GenIJEngine.report();
		assertTrue(r.gradientsCorrect, r.toText());
		assertTrue(r.toText().contains("convolution gradients: correct"), r.toText());
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
