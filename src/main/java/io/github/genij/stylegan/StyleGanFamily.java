package io.github.genij.stylegan;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.genij.core.GenIJException;
import io.github.genij.core.family.ModelFamily;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.ModuleMap;
import io.github.genij.core.weights.TfNetwork;
import io.github.genij.core.weights.TorchCheckpoint;
import io.github.genij.core.weights.WeightTensor;

/**
 * StyleGAN2 generators in NVIDIA's layout ({@code mapping.fc0.weight}, {@code synthesis.b4.const}, ...),
 * whether read from a StyleGAN2-ADA snapshot's {@code G_ema}, a state dict, or converted from rosinality's
 * or NVIDIA's TensorFlow layouts; sizes from the shapes.
 */
public final class StyleGanFamily implements ModelFamily {

	public static final String NAME = "stylegan", ARCHITECTURE = "stylegan2", ARCHITECTURE_V1 = "stylegan1", ARCHITECTURE_PROGAN = "progan", ARCHITECTURE_V1_TF = "stylegan1-tf", ARCHITECTURE_PROGAN_TF = "progan-tf";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Detection recognise(Map<String, WeightTensor> sd) {
		if (isV1(sd)) return v1Detection(sd);
		if (isProGan(sd)) return proGanDetection(sd, Map.of());
		if (!sd.containsKey("mapping.fc0.weight") || !sd.containsKey("synthesis.b4.const")) return null;
		return new Detection(NAME, ARCHITECTURE, "symmetric", StyleGanArch.fromStateDict(sd, null).toParameters());
	}

	/**
	 * NVIDIA's network snapshots: the pickled {@code G_ema} (not {@code G}, the training copy), its class
	 * names checked against the generator's, {@code conv_clamp} and the mapping's learning-rate multiplier
	 * from its init arguments.
	 */
	@Override
	public Converted convert(TorchCheckpoint checkpoint) {
		ModuleMap gEma = checkpoint.module("G_ema");
		if (gEma == null) {
			Converted v1 = rosinalityV1(checkpoint);
			if (v1 != null) return v1;
			Converted pgan = pganZoo(checkpoint);
			if (pgan != null) return pgan;
			Converted tf = tensorflow(checkpoint);
			return tf != null ? tf : rosinality(checkpoint);
		}
		Set<String> classes = new TreeSet<>();
		gEma.classes(classes);
		for (String c : classes) {
			String simple = c.substring(c.lastIndexOf('.') + 1), module = c.contains(".") ? c.substring(0, c.lastIndexOf('.')) : "";
			if (!GENERATOR_CLASSES.contains(simple) || !(module.equals("training.networks") || module.equals("training.networks_stylegan2"))) {
				throw new GenIJException("The snapshot's G_ema holds a module of class " + c + ", which is not part of NVIDIA's " +
					"StyleGAN2 generator; GenIJ reads only that generator (nothing in the file was run).");
			}
		}
		Map<String, WeightTensor> sd = checkpoint.under("G_ema");
		Map<String, Object> v = checkpoint.values();
		Float clamp = number(v.get("G_ema._init_kwargs.synthesis_kwargs.conv_clamp"));
		Float lrMul = number(v.get("G_ema._init_kwargs.mapping_kwargs.lr_multiplier"));
		StyleGanArch arch = StyleGanArch.fromStateDict(sd, clamp);
		if (lrMul != null) arch = arch.withLrMultiplier(lrMul);
		return new Converted(sd, new Detection(NAME, ARCHITECTURE, "symmetric", arch.toParameters()));
	}

	/** rosinality's first StyleGAN (style-based-gan-pytorch): a StyledGenerator's keys. */
	static boolean isV1(Map<String, WeightTensor> sd) {
		return sd.containsKey("generator.progression.0.conv1.input") && sd.containsKey("style.1.linear.weight_orig");
	}

	private static Detection v1Detection(Map<String, WeightTensor> sd) {
		StyleGanV1.Shape1 shape = StyleGanV1.Shape1.of(sd);
		Map<String, Object> p = new java.util.LinkedHashMap<>();
		p.put("style_dim", shape.styleDim);
		p.put("mapping_layers", shape.mappingLayers);
		p.put("widths", java.util.Arrays.stream(shape.widths).boxed().collect(java.util.stream.Collectors.toList()));
		java.util.List<Boolean> fused = new java.util.ArrayList<>();
		for (boolean f : shape.fused) fused.add(f);
		p.put("fused", fused);
		p.put("max_resolution", 4 << (shape.widths.length - 1));
		p.put("source_layout", "rosinality-v1");
		return new Detection(NAME, ARCHITECTURE_V1, "symmetric", p);
	}

	/**
	 * rosinality's first StyleGAN: a training checkpoint's {@code g_running} (the running average its generate.py
	 * samples from; {@code generator} is the training copy), or a bare StyledGenerator state dict.
	 */
	private static Converted rosinalityV1(TorchCheckpoint checkpoint) {
		Map<String, WeightTensor> running = checkpoint.under("g_running");
		Map<String, WeightTensor> sd = isV1(running) ? running : isV1(checkpoint.under("generator")) ? checkpoint.under("generator") : checkpoint.tensors();
		if (!isV1(sd)) return null;
		return new Converted(sd, v1Detection(sd));
	}

	/** pytorch_GAN_zoo's PGAN generator keys. */
	static boolean isProGan(Map<String, WeightTensor> sd) {
		return sd.containsKey("formatLayer.module.weight") && sd.containsKey("toRGBLayers.0.module.weight");
	}

	/**
	 * The zoo's settings from its pickled {@code config} (read as data, nothing run): the lrelu slope, whether the loss
	 * put tanh on the output (MSE, DCGAN), and its alpha turned into GenIJ's (the newest scale's share: 1 - the zoo's).
	 */
	private static Detection proGanDetection(Map<String, WeightTensor> sd, Map<String, Object> config) {
		Object leak = config.get("config.leakyReluLeak"), alpha = config.get("config.alpha"), loss = config.get("config.lossCriterion");
		Map<String, Object> p = proGanParameters(new ProGan.Shape0(sd), leak instanceof Number ? ((Number) leak).doubleValue() : 0.2,
			"MSE".equals(loss) || "DCGAN".equals(loss), alpha instanceof Number ? 1 - ((Number) alpha).doubleValue() : 1.0);
		return new Detection(NAME, ARCHITECTURE_PROGAN, "symmetric", p);
	}

	/** A zoo ProGAN's card parameters: its shape, lrelu slope, tanh output or not, and alpha as the newest scale's share. */
	static Map<String, Object> proGanParameters(ProGan.Shape0 shape, double leak, boolean tanh, double alpha) {
		Map<String, Object> p = new java.util.LinkedHashMap<>();
		p.put("z_dim", shape.zDim);
		p.put("depth0", shape.depth0);
		p.put("depths", java.util.Arrays.stream(shape.depths).boxed().collect(java.util.stream.Collectors.toList()));
		p.put("channels", shape.channels);
		p.put("max_resolution", 4 << shape.depths.length);
		p.put("leak", leak);
		p.put("tanh", tanh);
		p.put("alpha", alpha);
		p.put("source_layout", "pytorch_GAN_zoo");
		return p;
	}

	/** A zoo checkpoint ({@code avgG}, what it samples, else {@code netG}; its {@code config}), or a bare GNet state dict. */
	private static Converted pganZoo(TorchCheckpoint checkpoint) {
		Map<String, WeightTensor> avg = checkpoint.under("avgG");
		Map<String, WeightTensor> sd = isProGan(avg) ? avg : isProGan(checkpoint.under("netG")) ? checkpoint.under("netG") : checkpoint.tensors();
		if (!isProGan(sd)) return null;
		return new Converted(sd, proGanDetection(sd, checkpoint.values()));
	}

	/**
	 * rosinality's checkpoints ({@code g_ema}, or a bare generator state dict), renamed to NVIDIA's layout;
	 * without {@code latent_avg} the average w is estimated when the model is loaded.
	 */
	private static Converted rosinality(TorchCheckpoint checkpoint) {
		Map<String, WeightTensor> g = checkpoint.stateDict();
		if (!RosinalityLayout.is(g)) return null;
		WeightTensor latentAvg = checkpoint.tensors().get("latent_avg");
		Map<String, WeightTensor> sd = RosinalityLayout.toNvidia(g, latentAvg);
		Map<String, Object> p = StyleGanArch.fromStateDict(sd, null).toParameters();
		p.put("source_layout", "rosinality");
		if (latentAvg == null) p.put(W_AVG, W_AVG_ESTIMATE);
		return new Converted(sd, new Detection(NAME, ARCHITECTURE, "symmetric", p));
	}

	/**
	 * NVIDIA's TensorFlow-era pickles: (G, D, Gs), the last the EMA generator; its static arguments give the
	 * resolution, the mapping's learning-rate multiplier and the clamp.
	 */
	private static Converted tensorflow(TorchCheckpoint checkpoint) {
		java.util.List<TfNetwork> nets = checkpoint.tensorflowNetworks();
		if (nets.isEmpty()) return null;
		if (nets.size() != 3) throw new GenIJException("This TensorFlow pickle holds " + nets.size() + " networks; NVIDIA's hold (G, D, Gs).");
		TfNetwork gs = nets.get(2);
		if (!gs.legacyParams.isEmpty()) return proGanTf(ProGanTheanoLayout.variables(gs), "theano");
		Map<String, WeightTensor> vars = gs.allVariables();
		if (vars.containsKey("4x4/Dense/weight") && vars.containsKey("ToRGB_lod0/weight")) return proGanTf(vars, "tensorflow-progan");
		if (vars.containsKey("synthesis/4x4/Const/StyleMod/weight")) return tensorflowV1(gs, vars);
		if (gs.version < 4) throw new GenIJException("This TensorFlow pickle is of version " + gs.version + "; StyleGAN2's are 4 or later.");
		int resolution = gs.staticKwargs.get("resolution") instanceof Number ? ((Number) gs.staticKwargs.get("resolution")).intValue() : 0;
		// without the argument: the finest block present
		for (int r = 4; resolution == 0 || r <= 65536; r *= 2) {
			if (!vars.containsKey("synthesis/" + r + "x" + r + "/" + (r == 4 ? "Conv" : "Conv1") + "/weight")) break;
			if (!gs.staticKwargs.containsKey("resolution")) resolution = r;
		}
		Map<String, WeightTensor> sd = TensorFlowLayout.toNvidia(vars, resolution);
		StyleGanArch arch = StyleGanArch.fromStateDict(sd, number(gs.staticKwargs.get("conv_clamp")));
		Float lrMul = number(gs.staticKwargs.get("mapping_lrmul"));
		if (lrMul != null) arch = arch.withLrMultiplier(lrMul);
		Map<String, Object> p = arch.toParameters();
		p.put("source_layout", "tensorflow");
		return new Converted(sd, new Detection(NAME, ARCHITECTURE, "symmetric", p));
	}

	/**
	 * NVIDIA's first StyleGAN (karras2019stylegan-*.pkl): its variables keep their names ('/' read as '.'), as
	 * {@link StyleGanV1Tf} is keyed; the mapping's learning-rate multiplier from the static arguments (0.01 by default).
	 */
	private static Converted tensorflowV1(TfNetwork gs, Map<String, WeightTensor> vars) {
		Map<String, WeightTensor> sd = new java.util.LinkedHashMap<>();
		vars.forEach((k, v) -> sd.put(k.replace('/', '.'), v));
		StyleGanV1Tf.Shape2 shape = new StyleGanV1Tf.Shape2(sd);
		Map<String, Object> p = new java.util.LinkedHashMap<>();
		p.put("z_dim", shape.zDim);
		p.put("w_dim", shape.wDim);
		p.put("max_resolution", 4 << (shape.widths.length - 1));
		Float lrMul = number(gs.staticKwargs.get("mapping_lrmul"));
		p.put("mapping_lrmul", lrMul == null ? 0.01 : lrMul.doubleValue());
		p.put("source_layout", "tensorflow-v1");
		return new Converted(sd, new Detection(NAME, ARCHITECTURE_V1_TF, "symmetric", p));
	}

	/** NVIDIA's ProGAN (karras2018iclr-*.pkl, TensorFlow or Theano-era): its variables under their names, '/' read as '.'. */
	private static Converted proGanTf(Map<String, WeightTensor> vars, String layout) {
		Map<String, WeightTensor> sd = new java.util.LinkedHashMap<>();
		vars.forEach((k, v) -> sd.put(k.replace('/', '.'), v));
		Map<String, Object> p = new java.util.LinkedHashMap<>();
		p.put("z_dim", sd.get("4x4.Dense.weight").shape()[0]);
		p.put("source_layout", layout);
		return new Converted(sd, new Detection(NAME, ARCHITECTURE_PROGAN_TF, "symmetric", p));
	}

	/** A card parameter saying the average w is not in the weights and must be estimated at load. */
	static final String W_AVG = "w_avg", W_AVG_ESTIMATE = "estimate";

	private static final Set<String> GENERATOR_CLASSES = Set.of("Generator", "MappingNetwork", "SynthesisNetwork",
		"SynthesisBlock", "SynthesisLayer", "ToRGBLayer", "FullyConnectedLayer", "Conv2dLayer");

	private static Float number(Object o) {
		return o instanceof Number ? ((Number) o).floatValue() : null;
	}

	@Override
	public Module build(String architecture, Map<String, Object> parameters) {
		if (ARCHITECTURE_V1.equals(architecture)) return new StyleGanV1(StyleGanV1.Shape1.fromParameters(parameters));
		if (ARCHITECTURE_V1_TF.equals(architecture) || ARCHITECTURE_PROGAN_TF.equals(architecture)) {
			throw new GenIJException("NVIDIA's TensorFlow StyleGAN (v1) and ProGAN are built from their variables' shapes; load them through the StyleGAN commands.");
		}
		if (ARCHITECTURE_PROGAN.equals(architecture)) {
			Number leak = (Number) parameters.getOrDefault("leak", 0.2);
			return new ProGan(ProGan.Shape0.fromParameters(parameters), leak.floatValue(), Boolean.TRUE.equals(parameters.get("tanh")));
		}
		if (!ARCHITECTURE.equals(architecture)) throw new GenIJException("Unknown StyleGAN architecture '" + architecture + "': stylegan2 or stylegan1.");
		return new StyleGan2(StyleGanArch.fromParameters(parameters));
	}
}
