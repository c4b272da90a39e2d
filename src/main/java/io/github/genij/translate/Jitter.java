package io.github.genij.translate;

import java.util.Random;

/**
 * pix2pix's random jitter: the pair is scaled up to {@code loadSize = cropSize * 286 / 256}, a random
 * {@code cropSize} square is cut from it, and it is mirrored left-right half of the time; A and B always
 * the same way. Images larger than {@code loadSize} are first cut to a random {@code loadSize} window at
 * their own resolution (the reference would shrink the whole image instead, losing the detail a
 * microscopist trains for). One bilinear pass does it all.
 */
final class Jitter {

	final int cropSize, loadSize;

	Jitter(int cropSize) {
		this.cropSize = cropSize;
		this.loadSize = (int) Math.round(cropSize * 286.0 / 256.0);
	}

	/** {A, B} as {@code [C, cropSize, cropSize]}. */
	float[][] sample(TrainingPair p, Random r) {
		int side = Math.min(loadSize, Math.min(p.width, p.height));
		int x0 = r.nextInt(p.width - side + 1), y0 = r.nextInt(p.height - side + 1);
		int cx = r.nextInt(loadSize - cropSize + 1), cy = r.nextInt(loadSize - cropSize + 1);
		boolean flip = r.nextBoolean();
		double scale = side / (double) loadSize;
		return new float[][] { resample(p.a, p.channelsA, p, side, scale, x0, y0, cx, cy, flip),
			resample(p.b, p.channelsB, p, side, scale, x0, y0, cx, cy, flip) };
	}

	/**
	 * {A, B} as {@code [C, cropSize, cropSize]} without randomness, for validation and previews: the
	 * centred square, cut at the image's resolution, or scaled up from the largest centred square of an
	 * image smaller than that.
	 */
	float[][] centred(TrainingPair p) {
		int side = Math.min(cropSize, Math.min(p.width, p.height));
		int x0 = (p.width - side) / 2, y0 = (p.height - side) / 2;
		double scale = side / (double) cropSize;
		return new float[][] { resample(p.a, p.channelsA, p, side, scale, x0, y0, 0, 0, false),
			resample(p.b, p.channelsB, p, side, scale, x0, y0, 0, 0, false) };
	}

	/** Bilinear (align_corners=False) from the {@code side} window at (x0, y0), {@code scale} window pixels per output pixel. */
	private float[] resample(float[] src, int channels, TrainingPair p, int side, double scale, int x0, int y0, int cx, int cy,
		boolean flip)
	{
		float[] out = new float[channels * cropSize * cropSize];
		int[] xl = new int[cropSize], xh = new int[cropSize];
		float[] xf = new float[cropSize];
		for (int j = 0; j < cropSize; j++) {
			int u = cx + (flip ? cropSize - 1 - j : j);
			double sx = Math.min(Math.max((u + 0.5) * scale - 0.5, 0), side - 1);
			xl[j] = x0 + (int) Math.floor(sx);
			xh[j] = Math.min(xl[j] + 1, x0 + side - 1);
			xf[j] = (float) (sx - Math.floor(sx));
		}
		for (int i = 0; i < cropSize; i++) {
			double sy = Math.min(Math.max((cy + i + 0.5) * scale - 0.5, 0), side - 1);
			int yl = y0 + (int) Math.floor(sy), yh = Math.min(yl + 1, y0 + side - 1);
			float fy = (float) (sy - Math.floor(sy));
			for (int c = 0; c < channels; c++) {
				int rowL = (c * p.height + yl) * p.width, rowH = (c * p.height + yh) * p.width, o = (c * cropSize + i) * cropSize;
				for (int j = 0; j < cropSize; j++) {
					float top = src[rowL + xl[j]] + (src[rowL + xh[j]] - src[rowL + xl[j]]) * xf[j];
					float bottom = src[rowH + xl[j]] + (src[rowH + xh[j]] - src[rowH + xl[j]]) * xf[j];
					out[o + j] = top + (bottom - top) * fy;
				}
			}
		}
		return out;
	}
}
