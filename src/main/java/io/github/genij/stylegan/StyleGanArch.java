package io.github.genij.stylegan;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.WeightTensor;

/**
 * A StyleGAN2 generator's shape: latent sizes, resolution, image channels, mapping depth, the channels of
 * each resolution (NVIDIA's {@code min(channel_base / res, channel_max)}), the architecture and the clamp.
 * Read from the weights' shapes (everything but the clamp shows there) or from a model card's parameters.
 */
public final class StyleGanArch {

	/** NVIDIA's synthesis architectures. */
	public enum Architecture { ORIG, SKIP, RESNET }

	public final int zDim, cDim, wDim, resolution, imageChannels, mappingLayers;
	public final Architecture architecture;
	/** ±clamp on every layer's output (NVIDIA's {@code conv_clamp}); null for none. */
	public final Float convClamp;
	public final float lrMultiplier;
	private final TreeMap<Integer, Integer> channels;

	StyleGanArch(int zDim, int cDim, int wDim, int resolution, int imageChannels, int mappingLayers, Map<Integer, Integer> channels,
		Architecture architecture, Float convClamp, float lrMultiplier)
	{
		if (resolution < 4 || Integer.bitCount(resolution) != 1) throw new GenIJException("A StyleGAN2 resolution is a power of 2 from 4, not " + resolution + ".");
		this.zDim = zDim;
		this.cDim = cDim;
		this.wDim = wDim;
		this.resolution = resolution;
		this.imageChannels = imageChannels;
		this.mappingLayers = mappingLayers;
		this.channels = new TreeMap<>(channels);
		this.architecture = architecture;
		this.convClamp = convClamp;
		this.lrMultiplier = lrMultiplier;
		for (int r = 4; r <= resolution; r *= 2)
			if (!this.channels.containsKey(r)) throw new GenIJException("The StyleGAN2 weights lack the block for " + r + "x" + r + ".");
	}

	/** Features of the block at {@code resolution}. */
	public int channels(int resolution) {
		return channels.get(resolution);
	}

	/**
	 * The shape of the generator whose state dict (NVIDIA's keys) is {@code sd}; {@code convClamp} is not in
	 * the weights (null: none).
	 */
	public static StyleGanArch fromStateDict(Map<String, WeightTensor> sd, Float convClamp) {
		WeightTensor fc0 = sd.get("mapping.fc0.weight");
		if (fc0 == null || !sd.containsKey("synthesis.b4.const")) {
			throw new GenIJException("These weights are not a StyleGAN2 generator in NVIDIA's layout (no mapping.fc0.weight or " +
				"synthesis.b4.const).");
		}
		int layers = 0;
		while (sd.containsKey("mapping.fc" + layers + ".weight")) layers++;
		int wDim = (int) sd.get("mapping.fc" + (layers - 1) + ".weight").shape()[0];
		WeightTensor embed = sd.get("mapping.embed.weight");
		int cDim = embed == null ? 0 : (int) embed.shape()[1];
		int zDim = (int) fc0.shape()[1] - (embed == null ? 0 : (int) embed.shape()[0]);
		Map<Integer, Integer> ch = new LinkedHashMap<>();
		int res = 4;
		ch.put(4, (int) sd.get("synthesis.b4.const").shape()[0]);
		while (sd.containsKey("synthesis.b" + (res * 2) + ".conv1.weight")) {
			res *= 2;
			ch.put(res, (int) sd.get("synthesis.b" + res + ".conv1.weight").shape()[0]);
		}
		WeightTensor rgb = sd.get("synthesis.b" + res + ".torgb.weight");
		if (rgb == null) throw new GenIJException("The StyleGAN2 weights lack synthesis.b" + res + ".torgb.weight.");
		Architecture arch = res > 4 && sd.containsKey("synthesis.b8.skip.weight") ? Architecture.RESNET
			: res > 4 && sd.containsKey("synthesis.b4.torgb.weight") ? Architecture.SKIP
			: res == 4 ? Architecture.SKIP : Architecture.ORIG;
		return new StyleGanArch(zDim, cDim, wDim, res, (int) rgb.shape()[0], layers, ch, arch, convClamp, 0.01f);
	}

	/** The same shape with another mapping learning-rate multiplier (NVIDIA's default is 0.01). */
	StyleGanArch withLrMultiplier(float lr) {
		return new StyleGanArch(zDim, cDim, wDim, resolution, imageChannels, mappingLayers, channels, architecture, convClamp, lr);
	}

	/** For a model card. */
	public Map<String, Object> toParameters() {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("z_dim", zDim);
		p.put("c_dim", cDim);
		p.put("w_dim", wDim);
		p.put("resolution", resolution);
		p.put("img_channels", imageChannels);
		p.put("mapping_layers", mappingLayers);
		p.put("architecture", architecture.name().toLowerCase(Locale.ROOT));
		if (convClamp != null) p.put("conv_clamp", convClamp);
		if (lrMultiplier != 0.01f) p.put("lr_multiplier", lrMultiplier);
		Map<String, Integer> ch = new LinkedHashMap<>();
		channels.forEach((r, c) -> ch.put(String.valueOf(r), c));
		p.put("channels", ch);
		p.put("num_ws", numWs());
		return p;
	}

	/** The shape a model card's parameters ({@link #toParameters}) describe. */
	public static StyleGanArch fromParameters(Map<String, Object> p) {
		Object ch = p.get("channels");
		if (!(ch instanceof Map)) throw new GenIJException("The model card lacks the StyleGAN2 channels per resolution.");
		Map<Integer, Integer> channels = new LinkedHashMap<>();
		((Map<?, ?>) ch).forEach((r, c) -> channels.put(Integer.parseInt(String.valueOf(r)), number(c, "channels")));
		Object clamp = p.get("conv_clamp");
		Architecture a;
		try {
			a = Architecture.valueOf(String.valueOf(p.getOrDefault("architecture", "skip")).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new GenIJException("Unknown StyleGAN2 architecture '" + p.get("architecture") + "': orig, skip or resnet.");
		}
		return new StyleGanArch(number(p.get("z_dim"), "z_dim"), number(p.getOrDefault("c_dim", 0), "c_dim"),
			number(p.get("w_dim"), "w_dim"), number(p.get("resolution"), "resolution"), number(p.get("img_channels"), "img_channels"),
			number(p.get("mapping_layers"), "mapping_layers"), channels, a,
			clamp instanceof Number ? ((Number) clamp).floatValue() : null,
			p.get("lr_multiplier") instanceof Number ? ((Number) p.get("lr_multiplier")).floatValue() : 0.01f);
	}

	private static int number(Object v, String key) {
		if (!(v instanceof Number)) throw new GenIJException("The model card's StyleGAN2 parameter " + key + " is missing.");
		return ((Number) v).intValue();
	}

	/** How many w's the synthesis network takes. */
	public int numWs() {
		// one w per layer (1 at 4x4, 2 per block above) and one for the last ToRGB
		return 2 * (Integer.numberOfTrailingZeros(resolution) - 2) + 2;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "StyleGAN2 %dx%d, %d channel(s), %s, z %d, w %d%s, %d mapping layers%s",
			resolution, resolution, imageChannels, architecture.name().toLowerCase(Locale.ROOT), zDim, wDim,
			cDim > 0 ? ", " + cDim + " classes" : "", mappingLayers, convClamp == null ? "" : ", clamp " + convClamp);
	}
}
