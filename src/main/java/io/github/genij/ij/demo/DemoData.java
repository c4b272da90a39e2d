package io.github.genij.ij.demo;

import java.io.File;
import java.io.IOException;
import java.util.ArrayDeque;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's real images: scikit-image's sample photos and textures (Debian's python3-skimage) and
 * Fashion-MNIST (dataset-fashion-mnist), each taken from its Debian package at first use (apt-get download, unpacked with dpkg -x; nothing is installed) and cached under
 * target/demo-data. No third-party image is committed to the project. Where apt is unavailable the demo
 * falls back to generated stand-ins.
 */
public final class DemoData {

	public static final String SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data";

	private DemoData() {}

	/** The folder holding skimage's images, or null if it cannot be had here. */
	public static Path skimage(Path cache, PrintStream out) {
		return debianData(cache, "python3-skimage", "scikit-image's sample images", "~20 MB", SKIMAGE_DATA, "chelsea.png", out);
	}

	public static final String FASHION_MNIST_DATA = "usr/share/datasets/fashion-mnist";

	/** The folder holding Fashion-MNIST's idx files (Debian package dataset-fashion-mnist), or null. */
	public static Path fashionMnist(Path cache, PrintStream out) {
		return debianData(cache, "dataset-fashion-mnist", "Fashion-MNIST", "~31 MB", FASHION_MNIST_DATA,
			"t10k-images-idx3-ubyte.gz", out);
	}

	/**
	 * A model the project trained, {@code models/<name>}: beside the build ({@code target/classes} next to
	 * {@code models/}), else under the working folder.
	 */
	public static Path projectModel(String name) {
		try {
			Path classes = Paths.get(DemoData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			Path beside = classes.getParent() == null ? null : classes.getParent().resolveSibling("models").resolve(name);
			if (beside != null && Files.isRegularFile(beside.resolve("model.json"))) return beside;
		}
		catch (Exception e) {
			// fall through to the working folder
		}
		return Paths.get("models", name);
	}

	/** Fashion-MNIST's side: every item is 28 x 28 grey levels. */
	public static final int FASHION_MNIST_SIDE = 28;

	/**
	 * The items of {@code <name>-images-idx3-ubyte.gz} ({@code train}: 60,000, {@code t10k}: 10,000) in Fashion-MNIST's
	 * folder, each 28 x 28 grey levels row after row.
	 */
	public static byte[][] fashionMnistItems(Path dataFolder, String name) {
		Path file = dataFolder.resolve(name + "-images-idx3-ubyte.gz");
		try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file));
			java.io.DataInputStream d = new java.io.DataInputStream(in))
		{
			if (d.readInt() != 2051) throw new io.github.genij.core.GenIJException(file + " is not an idx3 image file.");
			int n = d.readInt(), rows = d.readInt(), cols = d.readInt();
			if (rows != FASHION_MNIST_SIDE || cols != FASHION_MNIST_SIDE)
				throw new io.github.genij.core.GenIJException(file + " holds " + rows + "x" + cols + " images, not 28x28.");
			byte[][] items = new byte[n][rows * cols];
			for (byte[] item : items) d.readFully(item);
			return items;
		}
		catch (IOException e) {
			throw new io.github.genij.core.GenIJException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** The class of every item of {@code <name>-labels-idx1-ubyte.gz} (0 T-shirt/top ... 9 ankle boot). */
	public static byte[] fashionMnistLabels(Path dataFolder, String name) {
		Path file = dataFolder.resolve(name + "-labels-idx1-ubyte.gz");
		try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file));
			java.io.DataInputStream d = new java.io.DataInputStream(in))
		{
			if (d.readInt() != 2049) throw new io.github.genij.core.GenIJException(file + " is not an idx1 label file.");
			byte[] labels = new byte[d.readInt()];
			d.readFully(labels);
			return labels;
		}
		catch (IOException e) {
			throw new io.github.genij.core.GenIJException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** Grey levels above this count as the item (Fashion-MNIST's background is 0, faint edges a few levels). */
	public static final int SILHOUETTE_THRESHOLD = 12;

	/** A Fashion-MNIST item's silhouette: pixels above the threshold, and every pixel that the background cannot reach from the border. */
	public static boolean[] fashionSilhouette(byte[] item) {
		boolean[] outside = new boolean[FASHION_MNIST_SIDE * FASHION_MNIST_SIDE];
		ArrayDeque<Integer> queue = new ArrayDeque<>();
		for (int i = 0; i < FASHION_MNIST_SIDE; i++) {
			for (int p : new int[] { i, (FASHION_MNIST_SIDE - 1) * FASHION_MNIST_SIDE + i, i * FASHION_MNIST_SIDE, i * FASHION_MNIST_SIDE + FASHION_MNIST_SIDE - 1 }) {
				if (!outside[p] && (item[p] & 0xff) <= SILHOUETTE_THRESHOLD) {
					outside[p] = true;
					queue.add(p);
				}
			}
		}
		while (!queue.isEmpty()) {
			int p = queue.poll(), x = p % FASHION_MNIST_SIDE, y = p / FASHION_MNIST_SIDE;
			int[][] next = { { x - 1, y }, { x + 1, y }, { x, y - 1 }, { x, y + 1 } };
			for (int[] q : next) {
				if (q[0] < 0 || q[1] < 0 || q[0] >= FASHION_MNIST_SIDE || q[1] >= FASHION_MNIST_SIDE) continue;
				int i = q[1] * FASHION_MNIST_SIDE + q[0];
				if (!outside[i] && (item[i] & 0xff) <= SILHOUETTE_THRESHOLD) {
					outside[i] = true;
					queue.add(i);
				}
			}
		}
		boolean[] inside = new boolean[FASHION_MNIST_SIDE * FASHION_MNIST_SIDE];
		for (int i = 0; i < inside.length; i++) inside[i] = !outside[i];
		return inside;
	}

	/** The side of GenIJ's Fashion-MNIST training images: the 28 x 28 item centred on black, its own background. */
	public static final int FASHION_PADDED_SIDE = 32;

	/** 28 x 28 values (an item, or labels made from one) centred in {@link #FASHION_PADDED_SIDE}² zeros. */
	public static ij.process.ByteProcessor fashionPadded(byte[] item) {
		int side = FASHION_MNIST_SIDE, border = (FASHION_PADDED_SIDE - side) / 2;
		byte[] out = new byte[FASHION_PADDED_SIDE * FASHION_PADDED_SIDE];
		for (int y = 0; y < side; y++) System.arraycopy(item, y * side, out, (y + border) * FASHION_PADDED_SIDE + border, side);
		return new ij.process.ByteProcessor(FASHION_PADDED_SIDE, FASHION_PADDED_SIDE, out);
	}

	/** {@code folder} of Debian package {@code pkg}, fetched and unpacked (not installed) under {@code cache} once. */
	private static Path debianData(Path cacheFolder, String pkg, String what, String size, String folder, String probe,
		PrintStream out)
	{
		Path cache = cacheFolder.toAbsolutePath(); // the tools run inside it
		Path data = cache.resolve(pkg).resolve(folder);
		if (Files.isRegularFile(data.resolve(probe))) return data;
		try {
			Files.createDirectories(cache);
			out.println("  fetching " + what + " (Debian package " + pkg + ", " + size + ") ...");
			if (!run(cache, 300, "apt-get", "download", pkg)) return null;
			Path deb;
			try (Stream<Path> s = Files.list(cache)) {
				deb = s.filter(p -> p.getFileName().toString().startsWith(pkg + "_")).findFirst().orElse(null);
			}
			if (deb == null || !run(cache, 120, "dpkg", "-x", deb.toString(), cache.resolve(pkg).toString())) return null;
			Files.deleteIfExists(deb);
			return Files.isRegularFile(data.resolve(probe)) ? data : null;
		}
		catch (IOException e) {
			return null;
		}
	}

	private static boolean run(Path dir, int seconds, String... command) {
		try {
			Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
				.redirectOutput(new File(dir.toFile(), "fetch.log")).start();
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				return false;
			}
			return p.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
