package io.github.genij.core.nn;

import static io.github.genij.testing.Tensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.PythonOracle;
import io.github.genij.testing.PythonOracle.Case;

/**
 * core.nn against PyTorch (src/test/python/ops_oracle.py): outputs and gradients of every operation on
 * awkward shapes, and L-BFGS iterates against torch.optim.LBFGS.
 */
class NnOracleTest {

	/** Outputs and gradients agree to this fraction of the reference's largest magnitude. */
	private static final double TOLERANCE = 1e-5;

	private static NDManager manager;
	private static Path folder;

	@BeforeAll
	static void start() {
		manager = GenIJEngine.get().newBaseManager();
	}

	@AfterAll
	static void stop() {
		if (manager != null) manager.close();
	}

	@TestFactory
	Stream<DynamicTest> everyOperationMatchesPyTorch() {
		folder = PythonOracle.generate("ops_oracle.py");
		List<DynamicTest> tests = new ArrayList<>();
		for (Case c : PythonOracle.cases(folder)) tests.add(DynamicTest.dynamicTest(c.name, () -> check(c)));
		return tests.stream();
	}

	private static void check(Case c) {
		try (NDManager m = manager.newSubManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, folder, c.name);
			switch (c.kind) {
				case "conv_transpose2d": {
					int[] stride = c.ints("stride"), padding = c.ints("padding"), outPad = c.ints("output_padding");
					boolean bias = t.containsKey("bias");
					compare(c, t, bias ? Arrays.asList("x", "weight", "bias") : Arrays.asList("x", "weight"),
						in -> TransposedConv2d.apply(in.get(0), in.get(1), bias ? in.get(2) : null, stride, padding, outPad));
					break;
				}
				case "pad": {
					int[] p = c.ints("pad");
					boolean reflect = c.string("mode").equals("reflect");
					compare(c, t, Arrays.asList("x"), in -> reflect ? Padding.reflect(in.get(0), p[0], p[1], p[2], p[3])
						: Padding.replicate(in.get(0), p[0], p[1], p[2], p[3]));
					break;
				}
				case "instance_norm":
					if (t.containsKey("gamma")) compare(c, t, Arrays.asList("x", "gamma", "beta"),
						in -> Normalization.instanceNorm(in.get(0), in.get(1), in.get(2), Normalization.EPS));
					else compare(c, t, Arrays.asList("x"), in -> Normalization.instanceNorm(in.get(0)));
					break;
				case "adain":
					compare(c, t, Arrays.asList("content", "style"),
						in -> Normalization.adain(in.get(0), in.get(1), true, Normalization.EPS));
					break;
				case "upsample": {
					int f = (int) c.number("factor");
					boolean nearest = c.string("mode").equals("nearest");
					compare(c, t, Arrays.asList("x"),
						in -> nearest ? Upsampling.nearest(in.get(0), f) : Upsampling.bilinear(in.get(0), f));
					break;
				}
				case "lbfgs_rosenbrock":
					rosenbrock(c, t);
					break;
				case "lbfgs_image_fit":
					imageFit(c, t);
					break;
				default:
					throw new IllegalStateException("unknown oracle case kind " + c.kind);
			}
		}
	}

	/**
	 * Runs {@code op} on the named inputs, backpropagates the oracle's upstream gradient {@code g}, and
	 * compares the output {@code y} and each input's gradient {@code d<name>}.
	 */
	private static void compare(Case c, Map<String, NDArray> t, List<String> inputs, Function<NDList, NDArray> op) {
		NDList in = new NDList();
		for (String name : inputs) {
			NDArray a = t.get(name).duplicate();
			a.setRequiresGradient(true);
			in.add(a);
		}
		NDArray y;
		try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
			y = op.apply(in);
			gc.backward(y.mul(t.get("g")).sum());
		}
		assertClose(t.get("y"), y, TOLERANCE, c.name + " output");
		for (int i = 0; i < inputs.size(); i++)
			assertClose(t.get("d" + inputs.get(i)), in.get(i).getGradient(), TOLERANCE, c.name + " gradient of " +
				inputs.get(i));
	}

	private static void rosenbrock(Case c, Map<String, NDArray> t) {
		NDArray p = t.get("start").duplicate();
		Lbfgs.Options o = new Lbfgs.Options();
		o.maxIter = 1;
		o.lr = c.number("lr");
		o.historySize = (int) c.number("history_size");
		o.strongWolfe = c.string("line_search").equals("strong_wolfe");
		NDArray iterates = t.get("iterates");
		double[] losses = t.get("losses").toDoubleArray();
		try (Lbfgs lbfgs = new Lbfgs(Arrays.asList(p), o)) {
			Lbfgs.Objective f = () -> {
				try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray x = p.get(0), y = p.get(1);
					NDArray loss = x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
					gc.backward(loss);
					return loss.getDouble();
				}
			};
			for (int i = 0; i < losses.length; i++) {
				lbfgs.step(f);
				// float64 on both sides: the same algorithm gives the same iterates to rounding
				assertClose(iterates.get(i), p, 1e-9, c.name + " iterate " + (i + 1));
			}
		}
	}

	private static void imageFit(Case c, Map<String, NDArray> t) {
		NDArray p = t.get("init").duplicate(), kernel = t.get("kernel"), target = t.get("target");
		Lbfgs.Options o = new Lbfgs.Options();
		o.maxIter = 1;
		o.historySize = (int) c.number("history_size");
		o.strongWolfe = true;
		float[] losses = t.get("losses").toFloatArray();
		NDArray iterates = t.get("iterates");
		try (Lbfgs lbfgs = new Lbfgs(Arrays.asList(p), o)) {
			Lbfgs.Objective f = () -> {
				try (GradientCollector gc = GenIJEngine.get().newGradientCollector()) {
					NDArray y = Conv2d.conv2d(p, kernel, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)).get(0);
					NDArray loss = y.sub(target).square().mean();
					gc.backward(loss);
					return loss.getFloat();
				}
			};
			for (int i = 0; i < losses.length; i++) {
				lbfgs.step(f);
				if (i < 5) assertClose(iterates.get(i), p, 1e-4, c.name + " iterate " + (i + 1));
			}
			double ours = f.evaluate(), theirs = losses[losses.length - 1];
			assertTrue(Math.abs(ours - theirs) <= 0.01 * theirs, "final loss " + ours + " vs PyTorch's " + theirs);
		}
	}
}
