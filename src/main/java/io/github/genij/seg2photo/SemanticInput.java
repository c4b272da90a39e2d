package io.github.genij.seg2photo;

import java.util.Map;
import java.util.TreeSet;

import io.github.genij.core.GenIJException;

/**
 * A label image as SPADE's input, as the reference's {@code preprocess_input} makes it: one channel per
 * class with 1 where the (mapped) label is that class, then, for models with one, the instance-edge
 * channel (1 where an instance id differs from a 4-neighbour's). Sizes are padded (by repeating the border)
 * to the network's multiple; the caller cuts the result back.
 */
final class SemanticInput {

	final float[] values;
	final int width, height;
	/** The model class of each padded pixel, row by row. */
	final int[] classes;

	private SemanticInput(float[] values, int width, int height, int[] classes) {
		this.values = values;
		this.width = width;
		this.height = height;
		this.classes = classes;
	}

	/**
	 * @param labels the label values, row by row ({@code w × h})
	 * @param map user value → model class (values not in it are classes themselves)
	 * @param classes how many classes the one-hot has (the reference's label_nc, + 1 with a dontcare class)
	 * @param instances instance ids ({@code w × h}), or null; with {@code edgeChannel} and none, an empty edge channel
	 */
	static SemanticInput of(int[] labels, int w, int h, Map<Integer, Integer> map, int classes, int[] instances, boolean edgeChannel,
		int multiple)
	{
		int pw = (w + multiple - 1) / multiple * multiple, ph = (h + multiple - 1) / multiple * multiple;
		int channels = classes + (edgeChannel ? 1 : 0);
		float[] v = new float[channels * pw * ph];
		TreeSet<Integer> unknown = new TreeSet<>();
		int[] cls = new int[pw * ph];
		for (int y = 0; y < ph; y++) {
			for (int x = 0; x < pw; x++) {
				int src = Math.min(y, h - 1) * w + Math.min(x, w - 1);
				int value = labels[src];
				int c = map.getOrDefault(value, value);
				if (c < 0 || c >= classes) {
					unknown.add(value);
					continue;
				}
				cls[y * pw + x] = c;
				v[(c * ph + y) * pw + x] = 1;
			}
		}
		if (!unknown.isEmpty()) {
			throw new GenIJException("The label image holds value(s) " + unknown + " that this model does not know: its classes are 0 to " +
				(classes - 1) + ". Map them with labelmap=<value>=<class>,...");
		}
		if (edgeChannel && instances != null) {
			int[] ids = new int[pw * ph];
			for (int y = 0; y < ph; y++)
				for (int x = 0; x < pw; x++) ids[y * pw + x] = instances[Math.min(y, h - 1) * w + Math.min(x, w - 1)];
			int plane = classes * pw * ph;
			for (int y = 0; y < ph; y++) {
				for (int x = 0; x < pw; x++) {
					int id = ids[y * pw + x];
					boolean edge = x > 0 && ids[y * pw + x - 1] != id || x < pw - 1 && ids[y * pw + x + 1] != id ||
						y > 0 && ids[(y - 1) * pw + x] != id || y < ph - 1 && ids[(y + 1) * pw + x] != id;
					if (edge) v[plane + y * pw + x] = 1;
				}
			}
		}
		return new SemanticInput(v, pw, ph, cls);
	}
}
