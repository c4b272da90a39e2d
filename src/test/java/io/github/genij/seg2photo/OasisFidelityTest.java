package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.Weights;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * GenIJ's OASIS generator against the oracle (src/test/python/oasis_nets.py, the reference's generator with z
 * as an argument): z from a seed broadcast over the image, and a z map that re-draws one label's region from
 * another seed; within 1e-4.
 */
class OasisFidelityTest {

	@Test
	void broadcastAndRegionNoiseGiveTheReferenceImages() {
		Path f = PythonOracle.generate("oasis_oracle.py");
		JsonObject s = PythonOracle.cases(f).get(0).settings;
		int labels = s.get("label_nc").getAsInt(), zDim = s.get("z_dim").getAsInt();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			OasisGenerator gen = Module.loaded(new OasisGenerator(labels, zDim, s.get("ch").getAsInt(), 6),
				Weights.stateDict(f.resolve("oasis_EMA.pth")), m, "oasis"))
		{
			assertEquals(s.get("parameter_count").getAsLong(), gen.parameterCount(), "PyTorch's parameters()");
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "oasis");
			NDArray lab = t.get("labels");
			int h = (int) lab.getShape().get(2), w = (int) lab.getShape().get(3);
			float[] lv = lab.toFloatArray();
			int[] ints = new int[lv.length];
			for (int i = 0; i < ints.length; i++) ints[i] = Math.round(lv[i]);
			SemanticInput in = SemanticInput.of(ints, w, h, Map.of(), labels, null, false, gen.multiple());
			NDArray seg = m.create(in.values, new Shape(1, labels, h, w));
			float[] zFlat = OasisNoise.map(in.classes, w, h, zDim, s.get("seed").getAsLong(), Map.of());
			Tensors.assertClose(t.get("out"), gen.forward(seg, m.create(zFlat, new Shape(1, zDim, h, w))), 1e-4, "broadcast z");
			float[] zRegions = OasisNoise.map(in.classes, w, h, zDim, s.get("seed").getAsLong(),
				Map.of(s.get("region_label").getAsInt(), s.get("region_seed").getAsLong()));
			Tensors.assertClose(t.get("out_regions"), gen.forward(seg, m.create(zRegions, new Shape(1, zDim, h, w))), 1e-4, "region z");
		}
	}
}
