package io.github.genij.core.tensor;

import io.github.genij.core.GenIJException;

/**
 * The value conventions GenIJ's network families were trained with (DESIGN.md section 3). Each maps
 * an image whose {@link ValueRange} runs from black to white onto what the network expects.
 */
public enum ValuePreset {
	/** [0, 1] RGB or gray (AdaIN, whose encoder's first 1x1 conv does the rest). */
	UNIT(1f, 0f, null, null, false),
	/** 0..255 RGB (fast neural style). */
	BYTE_RANGE(255f, 0f, null, null, false),
	/** [-1, 1] (pix2pix, CycleGAN, SPADE, OASIS, StyleGAN). */
	SYMMETRIC(2f, -1f, null, null, false),
	/** torchvision's ImageNet normalisation, RGB order. */
	IMAGENET(1f, 0f, new float[] { 0.485f, 0.456f, 0.406f }, new float[] { 0.229f, 0.224f, 0.225f }, false),
	/** Caffe VGG: BGR order, 0..255 with the per-channel mean subtracted (Gatys' vgg_conv). */
	CAFFE_BGR(255f, 0f, new float[] { 123.68f, 116.779f, 103.939f }, null, true);

	private final float unitScale;
	private final float unitOffset;
	/** Per RGB channel, in the scaled units, subtracted after scaling; null for none. */
	private final float[] mean;
	/** Per RGB channel, divided after the mean; null for none. */
	private final float[] std;
	private final boolean bgr;

	ValuePreset(float unitScale, float unitOffset, float[] mean, float[] std, boolean bgr) {
		this.unitScale = unitScale;
		this.unitOffset = unitOffset;
		this.mean = mean;
		this.std = std;
		this.bgr = bgr;
	}

	/** The preset a model card names ({@code symmetric}, {@code byte_range}, ...), or {@code fallback} when it names none. */
	public static ValuePreset named(String name, ValuePreset fallback) {
		if (name == null || name.trim().isEmpty()) return fallback;
		for (ValuePreset p : values())
			if (p.name().equalsIgnoreCase(name.trim())) return p;
		throw new GenIJException("The model card names the value convention '" + name + "', which GenIJ does not know (" +
			java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT) + ").");
	}

	/** True when this preset is defined per RGB channel and so needs exactly three channels. */
	public boolean needsRgb() {
		return mean != null || bgr;
	}

	/** The map from image values (black..white = {@code range}) to network values, for {@code channels} channels. */
	public ChannelMapping mapping(ValueRange range, int channels) {
		if (needsRgb() && channels != 3) {
			throw new GenIJException("The " + name().toLowerCase() + " value convention needs an RGB image, but this one has " +
				channels + " channel(s). Convert it with Image > Type > RGB Color first.");
		}
		float[] scale = new float[channels], offset = new float[channels];
		double unit = 1.0 / (range.high - range.low);
		for (int c = 0; c < channels; c++) {
			// v -> x = (v - low) * unit -> y = x * unitScale + unitOffset -> t = (y - mean) / std
			double m = mean == null ? 0 : mean[c], s = std == null ? 1 : std[c];
			double a = unit * unitScale / s;
			double b = (unitOffset - range.low * unit * unitScale - m) / s;
			scale[c] = (float) a;
			offset[c] = (float) b;
		}
		return new ChannelMapping(scale, offset, bgr);
	}
}
