package io.github.genij.stylegan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.genij.testing.Commands;
import io.github.genij.testing.PythonOracle;

/**
 * NVIDIA's ProGAN pickles (karras2018iclr-*.pkl) through StyleGAN Sample, against G_paper as its TensorFlow code computes
 * it, written in torch on the pickle's variables (src/test/python/progan_tf_oracle.py): a TensorFlow pickle (tfutil.Network,
 * fused up-sampling) at its own resolution and a 16-px stage mid-transition, and the Theano-era form NVIDIA's legacy.py
 * reads (weights, scales and biases in Theano's layouts, never fused) at 32 and 8 px, each within 1e-4 of the range.
 */
class ProGanTfTest {

	private static void assertCase(Path f, String name, Object... keys) throws Exception {
		ReferenceImages.assertSample(f, name, keys);
	}


	@Test
	void tensorFlowAndTheanoPicklesAreTheReferences() throws Exception {
		Path f = PythonOracle.generate("progan_tf_oracle.py");
		String tf = f.resolve("progan_tf.pkl").toString(), theano = f.resolve("progan_theano.pkl").toString();
		assertCase(f, "tf_seed1", "model", tf, "seeds", "1", "outputtype", "float32");
		assertCase(f, "tf_seed2_16_alpha", "model", tf, "seeds", "2", "resolution", 16, "alpha", "0.4", "outputtype", "float32");
		assertCase(f, "theano_seed3", "model", theano, "seeds", "3", "outputtype", "float32");
		assertCase(f, "theano_seed4_8", "model", theano, "seeds", "4", "resolution", 8, "outputtype", "float32");
		var truncated = Commands.run(StyleGanSampleCommand.class, "model", tf, "seeds", "1", "truncation", 0.5);
		assertTrue(truncated.isCanceled() && truncated.getCancelReason().contains("truncation"), String.valueOf(truncated.getCancelReason()));
	}
}
