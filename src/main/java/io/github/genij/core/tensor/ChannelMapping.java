package io.github.genij.core.tensor;

import java.util.Arrays;

/**
 * The per-channel affine map from image values to tensor values, {@code t = scale[c] * v + offset[c]},
 * optionally writing the channels in reverse order (RGB images into BGR networks).
 * <p>
 * Image channel {@code c} goes to tensor channel {@link #tensorChannel(int)}; the scale and offset are
 * indexed by the image channel.
 */
public final class ChannelMapping {

	private final float[] scale;
	private final float[] offset;
	private final boolean reverseChannels;

	public ChannelMapping(float[] scale, float[] offset, boolean reverseChannels) {
		if (scale.length != offset.length) throw new IllegalArgumentException("scale and offset lengths differ");
		this.scale = scale.clone();
		this.offset = offset.clone();
		this.reverseChannels = reverseChannels;
	}

	/** The same map {@code t = scale * v + offset} for every one of {@code channels} channels. */
	public static ChannelMapping uniform(int channels, float scale, float offset) {
		float[] s = new float[channels], o = new float[channels];
		Arrays.fill(s, scale);
		Arrays.fill(o, offset);
		return new ChannelMapping(s, o, false);
	}

	public static ChannelMapping identity(int channels) {
		return uniform(channels, 1f, 0f);
	}

	/** This map with one more channel after the others, passed as it is (a label map riding along with an image). */
	public ChannelMapping withPlainChannel() {
		if (reverseChannels) throw new IllegalArgumentException("a plain channel cannot follow reversed channels");
		float[] s = Arrays.copyOf(scale, scale.length + 1), o = Arrays.copyOf(offset, offset.length + 1);
		s[scale.length] = 1f;
		return new ChannelMapping(s, o, false);
	}

	public int channels() {
		return scale.length;
	}

	public float scale(int imageChannel) {
		return scale[imageChannel];
	}

	public float offset(int imageChannel) {
		return offset[imageChannel];
	}

	public boolean reversesChannels() {
		return reverseChannels;
	}

	public int tensorChannel(int imageChannel) {
		return reverseChannels ? scale.length - 1 - imageChannel : imageChannel;
	}

	public boolean isIdentity() {
		if (reverseChannels) return false;
		for (int c = 0; c < scale.length; c++)
			if (scale[c] != 1f || offset[c] != 0f) return false;
		return true;
	}

	/** The map from tensor values back to image values ({@code v = (t - offset) / scale}). */
	public ChannelMapping inverse() {
		float[] s = new float[scale.length], o = new float[scale.length];
		for (int c = 0; c < s.length; c++) {
			s[c] = 1f / scale[c];
			o[c] = -offset[c] / scale[c];
		}
		return new ChannelMapping(s, o, reverseChannels);
	}

	@Override
	public String toString() {
		return "ChannelMapping[scale=" + Arrays.toString(scale) + ", offset=" + Arrays.toString(offset) +
			(reverseChannels ? ", reversed" : "") + "]";
	}
}
