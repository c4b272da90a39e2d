package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.Tensors;

/**
 * GenIJ's MUNIT and UNIT generators against the oracle (src/test/python/munit_nets.py, the references' networks.py
 * re-written in Debian's torch), from checkpoints saved as the references save them: MUNIT a→b with a B image's
 * style and with a given code, b→a; UNIT both ways from a file with PyTorch 0.3's unused instance-norm statistics; the
 * reference's output sides (4·⌊side/4⌋), within 1e-4.
 */
class MunitFidelityTest {

	static Path folder() {
		return PythonOracle.generate("munit_oracle.py");
	}

	static MunitGenerator load(Path file, String domain, NDManager m) {
		Map<String, WeightTensor> sd = TorchCheckpoint.read(file).under(domain);
		return Module.loaded(MunitGenerator.of(sd, MunitParts.Activ.RELU, true), sd, m, domain);
	}

	@Test
	void munitAndUnitGiveTheReferenceImages() {
		Path f = folder();
		try (NDManager m = GenIJEngine.get().newBaseManager(); NoGrad g = NoGrad.enter();
			MunitGenerator a = load(f.resolve("munit_gen.pt"), "a", m); MunitGenerator b = load(f.resolve("munit_gen.pt"), "b", m);
			MunitGenerator ua = load(f.resolve("unit_gen.pt"), "a", m); MunitGenerator ub = load(f.resolve("unit_gen.pt"), "b", m))
		{
			assertTrue(a.munit);
			assertEquals(3, a.styleDim);
			assertFalse(ua.munit);
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "munit");
			NDArray image = t.get("image");
			NDArray style = b.style(t.get("style_image"));
			Tensors.assertClose(t.get("style_b"), style, 1e-4, "B's style code of the style image");
			Tensors.assertClose(t.get("ab_style"), b.decode(a.content(image), style), 1e-4, "MUNIT a->b in the style of an image");
			Tensors.assertClose(t.get("ab_code"), b.decode(a.content(image), t.get("code")), 1e-4, "MUNIT a->b with a given code");
			Tensors.assertClose(t.get("ba_style"), a.decode(b.content(image), a.style(t.get("style_image"))), 1e-4, "MUNIT b->a");
			Tensors.assertClose(t.get("unit_ab"), ub.decode(ua.content(image), null), 1e-4, "UNIT a->b");
			Tensors.assertClose(t.get("unit_ba"), ua.decode(ub.content(image), null), 1e-4, "UNIT b->a");
		}
	}
}
