package io.github.genij.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small image-to-image task with a known answer: A is a mask of discs and squares (1 inside, -1
 * outside), B a grey background with each shape shaded by its distance to the shape's edge, darker
 * towards the middle of discs and brighter towards the middle of squares. Neither A itself nor the mean B is a good answer;
 * a network that sees shapes is.
 */
final class SyntheticPairs {

	private SyntheticPairs() {}

	static List<TrainingPair> make(int count, int size, long seed) {
		Random r = new Random(seed);
		List<TrainingPair> pairs = new ArrayList<>();
		for (int k = 0; k < count; k++) {
			float[] a = new float[size * size], b = new float[size * size];
			java.util.Arrays.fill(a, -1f);
			java.util.Arrays.fill(b, -0.5f);
			int shapes = 1 + r.nextInt(3);
			for (int s = 0; s < shapes; s++) {
				boolean disc = r.nextBoolean();
				double radius = size * (0.1 + 0.12 * r.nextDouble());
				double cx = radius + r.nextDouble() * (size - 2 * radius), cy = radius + r.nextDouble() * (size - 2 * radius);
				for (int y = 0; y < size; y++) {
					for (int x = 0; x < size; x++) {
						double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
						double depth = disc ? radius - Math.hypot(dx, dy) : radius - Math.max(Math.abs(dx), Math.abs(dy));
						if (depth <= 0) continue;
						double t = Math.min(1, depth / radius);
						a[y * size + x] = 1f;
						b[y * size + x] = (float) (disc ? 0.8 - 1.4 * t : -0.2 + 1.1 * t);
					}
				}
			}
			pairs.add(new TrainingPair("pair" + k, size, size, 1, a, 1, b));
		}
		return pairs;
	}
}
