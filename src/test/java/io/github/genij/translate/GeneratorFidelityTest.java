package io.github.genij.translate;

import static io.github.genij.testing.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.PythonOracle.Case;

/** pix2pix/CycleGAN generators against the reference structure (translate_oracle.py) on the same weights. */
class GeneratorFidelityTest {

	static Path folder() {
		return PythonOracle.generate("translate_oracle.py");
	}

	@TestFactory
	Stream<DynamicTest> everyGeneratorMatchesTheReferenceInBothStatisticsModes() {
		Path f = folder();
		List<DynamicTest> tests = new ArrayList<>();
		for (Case c : PythonOracle.cases(f)) tests.add(DynamicTest.dynamicTest(c.name, () -> check(f, c.name)));
		return tests.stream();
	}

	private static void check(Path f, String name) {
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, name);
			for (BatchNorm.Statistics stats : BatchNorm.Statistics.values()) {
				String suffix = stats == BatchNorm.Statistics.RUNNING ? "running" : "image";
				if (!t.containsKey("out0_" + suffix)) continue;
				try (Generator gen = Generators.load(Weights.stateDict(f.resolve(name + ".pth")), "auto", "auto", stats, null, m)) {
					for (int i = 0; t.containsKey("in" + i); i++) {
						// outputs agree to 1e-4 of their range (tanh: range 2)
						assertClose(t.get("out" + i + "_" + suffix), gen.forward(t.get("in" + i)), 1e-4, name + " input " + i + " " + suffix);
					}
				}
			}
		}
	}

	@Test
	void dropoutIsSeededAndWrongSettingsAreNamed() {
		Path f = folder();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter()) {
			NDArray x = PythonOracle.tensors(m, f, "resnet6_batch_gray").get("in0");
			float[] a, b, c, none;
			try (Generator gen = Generators.load(Weights.stateDict(f.resolve("resnet6_batch_gray.pth")), "auto", "auto",
				BatchNorm.Statistics.RUNNING, 7L, m)) {
				a = gen.forward(x).toFloatArray();
			}
			try (Generator gen = Generators.load(Weights.stateDict(f.resolve("resnet6_batch_gray.pth")), "auto", "auto",
				BatchNorm.Statistics.RUNNING, 7L, m)) {
				b = gen.forward(x).toFloatArray();
			}
			try (Generator gen = Generators.load(Weights.stateDict(f.resolve("resnet6_batch_gray.pth")), "auto", "auto",
				BatchNorm.Statistics.RUNNING, 8L, m)) {
				c = gen.forward(x).toFloatArray();
			}
			try (Generator gen = Generators.load(Weights.stateDict(f.resolve("resnet6_batch_gray.pth")), "auto", "auto",
				BatchNorm.Statistics.RUNNING, null, m)) {
				none = gen.forward(x).toFloatArray();
			}
			assertTrue(java.util.Arrays.equals(a, b), "the same seed gives the same result");
			assertFalse(java.util.Arrays.equals(a, c), "another seed another");
			assertFalse(java.util.Arrays.equals(a, none), "dropout changes the result");
			GenIJException e = assertThrows(GenIJException.class, () -> Generators.load(Weights.stateDict(f.resolve(
				"resnet9_instance.pth")), "unet_256", "auto", BatchNorm.Statistics.RUNNING, null, m));
			assertTrue(e.getMessage().contains("are those of resnet_9blocks"), e.getMessage());
			e = assertThrows(GenIJException.class, () -> Generators.load(Weights.stateDict(f.resolve("resnet9_instance.pth")),
				"auto", "batch", BatchNorm.Statistics.RUNNING, null, m));
			assertTrue(e.getMessage().contains("trained with instance norm"), e.getMessage());
			try (Generator gen = Generators.load(Weights.stateDict(f.resolve("unet256_batch.pth")), "auto", "auto",
				BatchNorm.Statistics.RUNNING, null, m)) {
				assertEquals(256, gen.multiple());
				assertEquals(3, gen.outputChannels());
			}
		}
	}
}
