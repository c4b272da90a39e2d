package io.github.genij.style;

import static io.github.genij.testing.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;

/** AdaIN against the reference's forward pass on the same (random) legacy-format weights and images. */
class AdaInFidelityTest {

	/** Outputs agree to this fraction of the reference output's range (the bound). */
	private static final double TOLERANCE = 1e-4;

	@Test
	void everyVariantMatchesTheReference() {
		Path f = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			AdaInNetworks net = new AdaInNetworks(Weights.stateDict(f.resolve("vgg_normalised.pth")),
				Weights.stateDict(f.resolve("decoder.pth")), m)) {
			Map<String, NDArray> img = PythonOracle.tensors(m, f, "adain_images");
			NDArray c = img.get("content"), s1 = img.get("style1"), s2 = img.get("style2");
			check(f, m, "adain_alpha1", AdaInTransfer.run(net, c, List.of(s1), null, 1, null));
			check(f, m, "adain_alpha05", AdaInTransfer.run(net, c, List.of(s1), null, 0.5, null));
			check(f, m, "adain_interpolation", AdaInTransfer.run(net, c, List.of(s1, s2), new double[] { 0.3, 0.7 }, 1, null));
			float[] matched = Coral.match(s1.toFloatArray(), c.toFloatArray());
			NDArray coral = m.create(matched, s1.getShape());
			check(f, m, "coral", coral);
			check(f, m, "adain_preserve_color", AdaInTransfer.run(net, c, List.of(coral), null, 1, null));
		}
	}

	private static void check(Path f, NDManager m, String name, NDArray ours) {
		assertClose(PythonOracle.tensors(m, f, name).get("y"), ours, TOLERANCE, name);
	}

	@Test
	void anySizeComesBackAtItsOwnSizeAndMasksChooseTheStyle() {
		Path f = StyleOracle.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager();
			AdaInNetworks net = new AdaInNetworks(Weights.stateDict(f.resolve("vgg_normalised.pth")),
				Weights.stateDict(f.resolve("decoder.pth")), m)) {
			Map<String, NDArray> img = PythonOracle.tensors(m, f, "adain_images");
			NDArray odd = img.get("content").get(":, :, 0:61, 0:45");
			assertEquals(new Shape(1, 3, 61, 45), AdaInTransfer.run(net, odd, List.of(img.get("style1")), null, 1, null).getShape());
			// a mask of all ones is the same as no mask; all zeros keeps the content's features (alpha 0)
			NDArray c = img.get("content"), s = img.get("style1");
			NDArray ones = m.ones(new Shape(1, 1, 64, 48)), zeros = m.zeros(new Shape(1, 1, 64, 48));
			assertClose(AdaInTransfer.run(net, c, List.of(s), null, 1, null), AdaInTransfer.run(net, c, List.of(s), null, 1, ones),
				1e-5, "mask of ones");
			assertClose(AdaInTransfer.run(net, c, List.of(s), null, 0, null), AdaInTransfer.run(net, c, List.of(s), null, 1, zeros),
				1e-5, "mask of zeros");
		}
	}
}
