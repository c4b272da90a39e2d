package io.github.genij.style;

import ai.djl.ndarray.NDArray;

/**
 * Colour preservation by luminance-only transfer (Gatys, Bethge, Hertzmann, Shechtman 2016): the style is
 * transferred on luminance alone, with the style's luminance first matched to the content's mean and
 * spread, and the result's luminance is recombined with the content's colour (YIQ chroma).
 */
public final class LuminanceTransfer {

	private LuminanceTransfer() {}

	/** NTSC luma weights. */
	static final float R = 0.299f, G = 0.587f, B = 0.114f;

	/** NTSC luma of RGB. */
	static float luma(float r, float g, float b) {
		return R * r + G * g + B * b;
	}

	/** NTSC luma of {@code [1, 3, H, W]} RGB, as {@code [1, 1, H, W]}: a gray result in its own type. */
	static NDArray luma(NDArray rgb) {
		return rgb.get(":, 0:1").mul(R).add(rgb.get(":, 1:2").mul(G)).add(rgb.get(":, 2:3").mul(B));
	}

	/** The content's luminance as three equal planes. */
	public static RgbPlanes contentLuminance(RgbPlanes content) {
		RgbPlanes y = RgbPlanes.blank(content.width, content.height, content.range, content.gray);
		fillLuma(content.data(), y.data(), 1, 0);
		return y;
	}

	/** The style's luminance, shifted and scaled to the content luminance's mean and standard deviation. */
	public static RgbPlanes styleLuminance(RgbPlanes style, RgbPlanes content) {
		double[] cs = stats(content.data()), ss = stats(style.data());
		double a = ss[1] > 0 ? cs[1] / ss[1] : 1, b = cs[0] - a * ss[0];
		RgbPlanes y = RgbPlanes.blank(style.width, style.height, style.range, style.gray);
		fillLuma(style.data(), y.data(), (float) a, (float) b);
		return y;
	}

	/** The result's luminance with the content's chroma (I and Q of YIQ), back to RGB. */
	public static void recombine(RgbPlanes result, RgbPlanes content) {
		float[] r = result.data(), c = content.data();
		int n = r.length / 3;
		for (int i = 0; i < n; i++) {
			float y = luma(r[i], r[n + i], r[2 * n + i]);
			float cr = c[i], cg = c[n + i], cb = c[2 * n + i];
			float iq = 0.596f * cr - 0.274f * cg - 0.322f * cb, q = 0.211f * cr - 0.523f * cg + 0.312f * cb;
			r[i] = y + 0.956f * iq + 0.621f * q;
			r[n + i] = y - 0.272f * iq - 0.647f * q;
			r[2 * n + i] = y - 1.106f * iq + 1.703f * q;
		}
	}

	private static void fillLuma(float[] rgb, float[] out, float a, float b) {
		int n = rgb.length / 3;
		for (int i = 0; i < n; i++) {
			float y = a * luma(rgb[i], rgb[n + i], rgb[2 * n + i]) + b;
			out[i] = y;
			out[n + i] = y;
			out[2 * n + i] = y;
		}
	}

	/** Mean and standard deviation of the luminance. */
	private static double[] stats(float[] rgb) {
		int n = rgb.length / 3;
		double sum = 0, sq = 0;
		for (int i = 0; i < n; i++) {
			double y = luma(rgb[i], rgb[n + i], rgb[2 * n + i]);
			sum += y;
			sq += y * y;
		}
		double mean = sum / n;
		return new double[] { mean, Math.sqrt(Math.max(0, sq / n - mean * mean)) };
	}
}
