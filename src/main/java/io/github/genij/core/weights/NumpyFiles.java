package io.github.genij.core.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import io.github.genij.core.GenIJException;

/**
 * numpy's {@code .npy} and {@code .npz} files of floating-point arrays (what NVIDIA's projector writes and
 * its generator reads as latents), read and written in Java: little- or big-endian float16/32/64, C order.
 * Sizes in a header are checked against the bytes present before anything is allocated.
 */
public final class NumpyFiles {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
	private static final long MOST_VALUES = 1L << 24; // 16M values: far more than any latent file

	/** An array: its shape and values (as doubles). */
	public static final class Array {
		public final long[] shape;
		public final double[] values;

		public Array(long[] shape, double[] values) {
			this.shape = shape;
			this.values = values;
		}
	}

	private NumpyFiles() {}

	/** The arrays of a {@code .npz} (by name, without {@code .npy}) or the one array of a {@code .npy} (name "arr"). */
	public static Map<String, Array> read(Path file) {
		String name = file.getFileName().toString();
		try {
			Map<String, Array> out = new LinkedHashMap<>();
			if (name.toLowerCase(Locale.ROOT).endsWith(".npz")) {
				try (ZipFile zip = new ZipFile(file.toFile())) {
					for (ZipEntry e : java.util.Collections.list(zip.entries())) {
						if (!e.getName().endsWith(".npy")) continue;
						try (InputStream in = zip.getInputStream(e)) {
							// a forged entry cannot make us read more than the largest array GenIJ takes
							byte[] entry = in.readNBytes((int) Math.min(MOST_VALUES * 8 + 65536, Integer.MAX_VALUE - 8));
							out.put(e.getName().substring(0, e.getName().length() - 4), parse(entry, name + ":" + e.getName()));
						}
					}
				}
				if (out.isEmpty()) throw new GenIJException(name + " holds no arrays.");
			}
			else out.put("arr", parse(Files.readAllBytes(file), name));
			return out;
		}
		catch (IOException e) {
			throw new GenIJException("Cannot read " + file + " as a numpy file: " + e.getMessage(), e);
		}
	}

	static Array parse(byte[] b, String name) {
		for (int i = 0; i < MAGIC.length; i++)
			if (b.length <= i || b[i] != MAGIC[i]) throw new GenIJException(name + " is not a numpy .npy array.");
		if (b.length < 10) throw new GenIJException(name + " is cut short.");
		int major = b[6];
		int headerLength, start;
		if (major == 1) {
			headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
			start = 10;
		}
		else {
			if (b.length < 12) throw new GenIJException(name + " is cut short.");
			headerLength = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
			start = 12;
		}
		if (headerLength < 0 || start + (long) headerLength > b.length) throw new GenIJException(name + " has a damaged header.");
		String header = new String(b, start, headerLength, StandardCharsets.ISO_8859_1);
		Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
		if (!d.find() || !s.find()) throw new GenIJException(name + ": numpy header '" + header.trim() + "' is not one GenIJ reads.");
		if (f.find() && f.group(1).equals("True")) throw new GenIJException(name + " is in Fortran order; save it C-ordered (numpy's default).");
		if (!d.group(2).equals("f")) throw new GenIJException(name + " holds " + d.group(2) + d.group(3) + " values; latents are floating point.");
		int bytes = Integer.parseInt(d.group(3));
		if (bytes != 2 && bytes != 4 && bytes != 8) throw new GenIJException(name + " holds float" + 8 * bytes + " values.");
		ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		String[] dims = s.group(1).split(",");
		long count = 1;
		java.util.List<Long> shape = new java.util.ArrayList<>();
		for (String dim : dims) {
			if (dim.trim().isEmpty()) continue;
			long v = Long.parseLong(dim.trim());
			if (v < 0) throw new GenIJException(name + " has a negative size.");
			shape.add(v);
			count = Math.multiplyExact(count, v);
			if (count > MOST_VALUES) throw new GenIJException(name + " is larger than GenIJ reads as latents.");
		}
		int data = start + headerLength;
		if ((long) data + count * bytes > b.length) throw new GenIJException(name + " is cut short: its data ends early.");
		ByteBuffer buf = ByteBuffer.wrap(b, data, (int) (count * bytes)).order(order);
		double[] values = new double[(int) count];
		for (int i = 0; i < values.length; i++) {
			values[i] = bytes == 8 ? buf.getDouble() : bytes == 4 ? buf.getFloat() : halfToFloat(buf.getShort());
		}
		long[] sh = new long[shape.size()];
		for (int i = 0; i < sh.length; i++) sh[i] = shape.get(i);
		return new Array(sh, values);
	}

	/** IEEE half precision to float: sign, 5 exponent bits, 10 fraction bits. */
	static float halfToFloat(short h) {
		int bits = h & 0xffff, sign = bits >>> 15, exp = (bits >>> 10) & 0x1f, frac = bits & 0x3ff;
		float v;
		if (exp == 0) v = frac * 0x1p-24f; // subnormal
		else if (exp == 31) v = frac == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
		else v = Float.intBitsToFloat((exp - 15 + 127) << 23 | frac << 13);
		return sign == 0 ? v : -v;
	}

	/** Writes one float32 array as a {@code .npy} (numpy's {@code save}). */
	public static void writeNpy(Path file, Array array) {
		try {
			Files.write(file, npy(array));
		}
		catch (IOException e) {
			throw new GenIJException("Could not write " + file + ": " + e.getMessage(), e);
		}
	}

	/** Writes float32 arrays as a {@code .npz} (numpy's {@code savez}: one stored {@code <name>.npy} each). */
	public static void writeNpz(Path file, Map<String, Array> arrays) {
		try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
			for (Map.Entry<String, Array> e : arrays.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
				zip.write(npy(e.getValue()));
				zip.closeEntry();
			}
		}
		catch (IOException e) {
			throw new GenIJException("Could not write " + file + ": " + e.getMessage(), e);
		}
	}

	static byte[] npy(Array a) {
		StringBuilder shape = new StringBuilder();
		for (long d : a.shape) shape.append(d).append(", ");
		if (a.shape.length > 1) shape.setLength(shape.length() - 2);
		else if (a.shape.length == 1) shape.setLength(shape.length() - 1);
		String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
		int total = MAGIC.length + 4 + header.length() + 1;
		StringBuilder padded = new StringBuilder(header);
		while ((total + padded.length() - header.length()) % 64 != 0) padded.append(' ');
		padded.append('\n');
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(MAGIC);
		out.write(1);
		out.write(0);
		byte[] h = padded.toString().getBytes(StandardCharsets.ISO_8859_1);
		out.write(h.length & 0xff);
		out.write(h.length >> 8);
		out.writeBytes(h);
		ByteBuffer data = ByteBuffer.allocate(4 * a.values.length).order(ByteOrder.LITTLE_ENDIAN);
		for (double v : a.values) data.putFloat((float) v);
		out.writeBytes(data.array());
		return out.toByteArray();
	}
}
