package io.github.genij.translate;

/**
 * One training example of an image-to-image task: the input A and the wanted output B, the same size,
 * each as planar float values in [-1, 1] ({@code [C, H, W]}, C-order), as the networks take them.
 */
final class TrainingPair {

	final String name;
	final int width, height, channelsA, channelsB;
	final float[] a, b;

	TrainingPair(String name, int width, int height, int channelsA, float[] a, int channelsB, float[] b) {
		if (a.length != (long) channelsA * width * height || b.length != (long) channelsB * width * height)
			throw new IllegalArgumentException(name + ": values do not match " + width + "x" + height);
		this.name = name;
		this.width = width;
		this.height = height;
		this.channelsA = channelsA;
		this.channelsB = channelsB;
		this.a = a;
		this.b = b;
	}

	/** The same pair with A and B swapped (direction btoa). */
	TrainingPair swapped() {
		return new TrainingPair(name, width, height, channelsB, b, channelsA, a);
	}
}
