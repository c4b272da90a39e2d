package io.github.genij.style;

import static io.github.genij.testing.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;

/** The fast style network against pytorch/examples' TransformerNet on the same (random) weights. */
class FastStyleFidelityTest {

	@Test
	void aLegacyCheckpointWithStaleStatisticsMatchesTheReference() {
		Path f = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			FastStyleNetwork net = FastStyleNetwork.load(Weights.stateDict(f.resolve("fast_style.pth")), m)) {
			Map<String, NDArray> io = PythonOracle.tensors(m, f, "fast_style_io");
			assertEquals(1, net.styles());
			assertClose(io.get("out_a"), net.forward(io.get("in_a")), 1e-4, "40x52 input");
			assertClose(io.get("out_b"), net.forward(io.get("in_b")), 1e-4, "36x28 input");
			// any size: a 37x29 image comes back 37x29
			NDArray odd = io.get("in_a").get(":, :, 0:37, 0:29").duplicate();
			assertEquals(new Shape(1, 3, 37, 29), net.forward(odd).getShape());
		}
	}

	@Test
	void conditionalInstanceNormBlendsStyles() {
		Path f = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			FastStyleNetwork net = FastStyleNetwork.load(Weights.stateDict(f.resolve("fast_style_cin.safetensors")), m)) {
			Map<String, NDArray> io = PythonOracle.tensors(m, f, "fast_style_cin_io");
			assertEquals(3, net.styles());
			net.blend(new double[] { 0.2, 0.5, 0.3 });
			assertClose(io.get("out"), net.forward(io.get("in")), 1e-4, "blend 0.2/0.5/0.3");
			assertThrows(GenIJException.class, () -> net.blend(new double[] { 1, 0 }));
		}
	}
}
