package io.github.genij.translate;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.genij.core.nn.Scalars;
import io.github.genij.core.tiling.ImageNetwork;
import io.github.genij.core.tiling.OwnedRegion;
import io.github.genij.core.tiling.WholeImageNetwork;

/**
 * Batch norm on the statistics of the whole image when the image is run in windows (pix2pix's default
 * test mode, on an image too large for one piece).
 * <p>
 * A norm's statistics depend on every earlier norm's output, so they are gathered one layer per walk over
 * the windows: walk k runs each window up to norm k (norms before it already fixed), adds the mean and
 * spread of the activations in the part of the window it owns, and stops the forward pass there. Owned
 * parts tile the image exactly at every resolution, so when the halo covers the network's reach (ResNet
 * generators) the statistics are those of the untiled run, up to summation order. A U-Net's deepest
 * layers see further than any halo: there, as for its output, tiles approximate the untiled run.
 * <p>
 * With test-time dropout, gathering walks draw their own masks: the statistics then differ from those of
 * the output pass's masks only by sampling noise, as dropout is noise by design.
 */
final class WholeImageBatchNorm {

	private final int layers;
	private final List<float[]> means = new ArrayList<>(), variances = new ArrayList<>();
	/** True while the statistics of the current image come from gathering, false while each forward uses its own. */
	private boolean gathered;
	/** The norm being gathered (−1 in the output pass), and the index the next norm call will have. */
	private int probe = -1, next;
	private OwnedRegion owned;
	private long windowWidth, windowHeight;
	private Moments moments;

	/** {@code layers}: how many batch norms one forward pass calls, each exactly once. */
	WholeImageBatchNorm(int layers) {
		this.layers = layers;
	}

	/** The generator's forward pass as a network that gathers these statistics before the output pass. */
	WholeImageNetwork network(ImageNetwork forward) {
		return new WholeImageNetwork() {
			@Override
			public NDArray apply(NDArray input) {
				next = 0;
				return forward.apply(input);
			}

			@Override
			public void gather(Windows windows) {
				gatherOver(windows, forward);
			}
		};
	}

	private void gatherOver(WholeImageNetwork.Windows windows, ImageNetwork forward) {
		means.clear();
		variances.clear();
		gathered = false;
		// One window is the whole (padded) image: its own statistics are the image's, without extra walks.
		if (windows.count() == 1) return;
		gathered = true;
		try {
			for (probe = 0; probe < layers; probe++) {
				moments = null;
				windows.forEach("Batch-norm statistics, layer " + (probe + 1) + " of " + layers, (window, region) -> {
					next = 0;
					owned = region;
					windowWidth = window.getShape().get(3);
					windowHeight = window.getShape().get(2);
					try {
						forward.apply(window);
						throw new IllegalStateException("the forward pass called " + next + " batch norms, fewer than " + layers);
					}
					catch (LayerGathered done) {
						// the rest of this window's forward pass is not needed for this layer
					}
				});
				means.add(moments.mean());
				variances.add(moments.variance());
			}
		}
		finally {
			probe = -1;
			moments = null;
			owned = null;
		}
	}

	/**
	 * Called by each batch norm in forward order: its {@code {mean, variance}} as {@code [1, C, 1, 1]} arrays
	 * of {@code x}'s manager, or null when the norm should use {@code x}'s own statistics (the image is one
	 * window). While gathering, the norm being gathered adds {@code x}'s owned part and ends the forward pass.
	 */
	NDArray[] statistics(NDArray x) {
		int index = next++;
		if (!gathered) return null;
		if (index == probe) {
			add(x);
			throw new LayerGathered();
		}
		if (index >= means.size()) throw new IllegalStateException("batch norm " + index + " called before its statistics were gathered");
		NDManager m = x.getManager();
		long c = x.getShape().get(1);
		NDArray mean = m.create(means.get(index)).reshape(1, c, 1, 1).toDevice(x.getDevice(), false);
		NDArray variance = m.create(variances.get(index)).reshape(1, c, 1, 1).toDevice(x.getDevice(), false);
		return new NDArray[] { mean, variance };
	}

	/** Adds the owned cells of {@code x} ({@code [1, C, h, w]}, the window's size divided by the layer's stride). */
	private void add(NDArray x) {
		long h = x.getShape().get(2), w = x.getShape().get(3);
		int[] cells = owned.cells((int) (windowWidth / w), (int) (windowHeight / h));
		long n = (long) (cells[1] - cells[0]) * (cells[3] - cells[2]);
		if (moments == null) moments = new Moments((int) x.getShape().get(1));
		if (n == 0) return; // at coarse layers a window may own no cell
		NDArray part = x.get(new NDIndex(":, :, {}:{}, {}:{}", cells[2], cells[3], cells[0], cells[1]));
		NDArray mean = Scalars.over(part.sum(new int[] { 0, 2, 3 }, true), n);
		NDArray m2 = part.sub(mean).square().sum(new int[] { 0, 2, 3 });
		moments.add(n, mean.toFloatArray(), m2.toFloatArray());
	}

	/** Per-channel count, mean and sum of squared deviations, merged window by window (Chan et al.'s pairwise update). */
	private static final class Moments {
		private long n;
		private final double[] mean, m2;

		Moments(int channels) {
			mean = new double[channels];
			m2 = new double[channels];
		}

		void add(long nb, float[] meanB, float[] m2B) {
			long total = n + nb;
			for (int c = 0; c < mean.length; c++) {
				double delta = meanB[c] - mean[c];
				mean[c] += delta * nb / total;
				m2[c] += m2B[c] + delta * delta * ((double) n * nb / total);
			}
			n = total;
		}

		float[] mean() {
			float[] f = new float[mean.length];
			for (int c = 0; c < f.length; c++) f[c] = (float) mean[c];
			return f;
		}

		/** Biased, as PyTorch's batch norm normalises in training mode. */
		float[] variance() {
			float[] f = new float[m2.length];
			for (int c = 0; c < f.length; c++) f[c] = (float) (m2[c] / n);
			return f;
		}
	}

	/** Ends a gathering forward pass at the layer gathered; carries no stack trace, as it is no error. */
	private static final class LayerGathered extends RuntimeException {
		private static final long serialVersionUID = 1L;

		LayerGathered() {
			super("layer gathered", null, false, false);
		}
	}
}
