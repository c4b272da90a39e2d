package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;

/**
 * What a perceptual distance compares: a feature vector per image ({@code [N, F]}) from images {@code [N, 3, H, W]}
 * in 0..255, the distance being the squared difference of the vectors' entries, summed. NVIDIA's LPIPS network
 * ({@link LpipsFeatures}) or, without it, the pixels themselves ({@link #PIXELS}).
 */
interface ImageFeatures extends AutoCloseable {

	NDArray features(NDArray images);

	/** For logs and results: which distance this is. */
	String describe();

	@Override
	default void close() {}

	/**
	 * The pixels in 0..1, scaled by 1 / sqrt(values per image): the squared distance is the mean squared
	 * difference of the pixels, a stand-in that needs no network (not LPIPS: its figures are not NVIDIA's).
	 */
	ImageFeatures PIXELS = new ImageFeatures() {
		@Override
		public NDArray features(NDArray images) {
			long n = images.getShape().get(0), per = images.size() / n;
			return images.reshape(n, -1).div((float) (255 * Math.sqrt(per)));
		}

		@Override
		public String describe() {
			return "pixel distance (mean squared difference in 0..1; not LPIPS)";
		}
	};
}
