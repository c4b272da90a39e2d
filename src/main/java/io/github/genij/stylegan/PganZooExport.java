package io.github.genij.stylegan;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.genij.core.weights.TorchCheckpointWriter;
import io.github.genij.core.weights.WeightTensor;

/**
 * GenIJ's trained ProGAN as pytorch_GAN_zoo saves its own ({@code ProgressiveGAN.save}): {@code {"config", "netG",
 * "netD", "avgG"}}. The zoo pickles its config as an instance of its {@code BaseConfig} class; GenIJ writes the same
 * fields as a plain dict, which its {@code load_state_dict} takes as well ({@code updateConfig} reads a dict or an
 * object) and which needs no class of the zoo to unpickle. {@code ProgressiveGAN().load(file)} then rebuilds and loads
 * the three networks; our oracle loads them with strict=True.
 */
final class PganZooExport {

	static final String FILE = "pgan_zoo.pth";

	private PganZooExport() {}

	/**
	 * Writes the checkpoint for networks of {@code shape}; {@code zooAlpha} is the previous scale's share where the
	 * training stopped (0 when fully grown).
	 */
	static void write(Path file, ProGan.Shape0 shape, ProGanTrainer.Settings s, double zooAlpha, Map<String, WeightTensor> average,
		Map<String, WeightTensor> generator, Map<String, WeightTensor> discriminator)
	{
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("config", config(shape, s, zooAlpha));
		out.put("netG", generator);
		out.put("netD", discriminator);
		out.put("avgG", average);
		TorchCheckpointWriter.writeCheckpoint(file, out);
	}

	/** The fields the zoo's ProgressiveGAN and BaseGAN put in their config, with this training's values. */
	static Map<String, Object> config(ProGan.Shape0 shape, ProGanTrainer.Settings s, double zooAlpha) {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("depthScale0", shape.depth0);
		c.put("initBiasToZero", true);
		c.put("leakyReluLeak", s.leak);
		List<Integer> depths = Arrays.stream(shape.depths).boxed().collect(Collectors.toList());
		c.put("depthOtherScales", depths);
		c.put("perChannelNormalization", true);
		c.put("alpha", zooAlpha);
		c.put("miniBatchStdDev", true);
		c.put("equalizedlR", true);
		c.put("noiseVectorDim", shape.zDim);
		c.put("dimOutput", shape.channels);
		c.put("learningRate", (double) s.lr);
		c.put("attribKeysOrder", null);
		c.put("categoryVectorDim", 0);
		c.put("weightConditionG", 0.0);
		c.put("weightConditionD", 0.0);
		c.put("GDPP", false);
		c.put("latentVectorDim", shape.zDim);
		c.put("lossCriterion", "WGANGP");
		c.put("lambdaGP", s.lambdaGp);
		c.put("epsilonD", s.epsilonD);
		c.put("logisticGradReal", 0.0);
		return c;
	}
}
