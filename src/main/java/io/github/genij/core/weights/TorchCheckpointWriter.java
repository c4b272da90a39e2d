package io.github.genij.core.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict as PyTorch's own {@code torch.save} does since 1.6: a zip archive holding the
 * pickled {@code OrderedDict} ({@code archive/data.pkl}), one record per tensor ({@code archive/data/<n>})
 * and the format version. {@code torch.load} (and the reference code's {@code load_state_dict}) read it
 * as if Python had written it; no Python or PyTorch is needed to make it.
 * <p>
 * The pickle uses protocol 2 and only what torch.load's own unpickler expects for tensors:
 * {@code torch._utils._rebuild_tensor_v2} on a persistent storage id. Records are stored uncompressed.
 */
public final class TorchCheckpointWriter {

	private static final String ARCHIVE = "archive/";

	private TorchCheckpointWriter() {}

	/** Writes {@code stateDict} (in its order) to {@code file}, atomically. */
	public static void write(Path file, Map<String, WeightTensor> stateDict) {
		List<WeightTensor> storages = new ArrayList<>(stateDict.values());
		byte[] pkl;
		try {
			pkl = pickle(stateDict);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot write " + file + ": " + e.getMessage(), e);
		}
		write(file, pkl, storages);
	}

	/**
	 * Writes a training checkpoint as the reference trainers save one: a plain dict whose values are tensors, state
	 * dicts ({@code {"g": OrderedDict, "d": OrderedDict, "latent_avg": tensor}}) or plain data (a dict of settings:
	 * strings, numbers, booleans, null, lists and dicts of these), in its order.
	 */
	public static void writeCheckpoint(Path file, Map<String, Object> entries) {
		List<WeightTensor> storages = new ArrayList<>();
		Pickler p = new Pickler();
		p.op(0x80).op(2);
		p.op('}'); // EMPTY_DICT
		for (Map.Entry<String, Object> e : entries.entrySet()) {
			p.string(e.getKey());
			Object v = e.getValue();
			if (v instanceof WeightTensor) tensor(p, (WeightTensor) v, storages);
			else if (isStateDict(v)) {
				@SuppressWarnings("unchecked")
				Map<String, WeightTensor> sd = (Map<String, WeightTensor>) v;
				orderedDict(p, sd, storages);
			}
			else p.value(v);
			p.op('s');
		}
		p.op('.');
		write(file, p.bytes(), storages);
	}

	/** A non-empty map of tensors (an empty map is written as a plain dict, which is what it is either way). */
	private static boolean isStateDict(Object v) {
		if (!(v instanceof Map) || ((Map<?, ?>) v).isEmpty()) return false;
		for (Object x : ((Map<?, ?>) v).values()) if (!(x instanceof WeightTensor)) return false;
		return true;
	}

	private static void write(Path file, byte[] pkl, List<WeightTensor> storages) {
		Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
		try {
			try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
				stored(zip, ARCHIVE + "data.pkl", pkl);
				for (int i = 0; i < storages.size(); i++) stored(zip, ARCHIVE + "data/" + i, storages.get(i).bytes());
				stored(zip, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
				stored(zip, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
			}
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			try {
				Files.deleteIfExists(tmp);
			}
			catch (IOException ignored) {
				// the original error matters more
			}
			throw new CheckpointException("Cannot write " + file + ": " + e.getMessage(), e);
		}
	}

	private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
		ZipEntry e = new ZipEntry(name);
		e.setMethod(ZipEntry.STORED);
		e.setSize(data.length);
		e.setCompressedSize(data.length);
		CRC32 crc = new CRC32();
		crc.update(data);
		e.setCrc(crc.getValue());
		zip.putNextEntry(e);
		zip.write(data);
		zip.closeEntry();
	}

	/** {@code OrderedDict([(name, tensor), ...])} with each tensor on storage record {@code i}. */
	static byte[] pickle(Map<String, WeightTensor> stateDict) throws IOException {
		Pickler p = new Pickler();
		p.op(0x80).op(2); // PROTO 2
		orderedDict(p, stateDict, new ArrayList<>());
		p.op('.');
		return p.bytes();
	}

	private static void orderedDict(Pickler p, Map<String, WeightTensor> stateDict, List<WeightTensor> storages) {
		p.global("collections", "OrderedDict").op(')').op('R');
		for (Map.Entry<String, WeightTensor> e : stateDict.entrySet()) {
			p.string(e.getKey());
			tensor(p, e.getValue(), storages);
			p.op('s'); // SETITEM
		}
	}

	/** {@code _rebuild_tensor_v2} on the next storage record (appended to {@code storages}). */
	private static void tensor(Pickler p, WeightTensor t, List<WeightTensor> storages) {
		int index = storages.size();
		storages.add(t);
		long[] shape = t.shape();
		p.global("torch._utils", "_rebuild_tensor_v2");
		p.op('(');
		// the persistent id: ('storage', torch.<Type>Storage, key, location, numel)
		p.op('(').string("storage").global("torch", t.dtype.torchStorage).string(Integer.toString(index)).string("cpu")
			.integer(t.elements()).op('t').op('Q');
		p.integer(0); // storage offset
		p.op('(');
		for (long s : shape) p.integer(s);
		p.op('t');
		p.op('(');
		long stride = 1;
		long[] strides = new long[shape.length];
		for (int d = shape.length - 1; d >= 0; d--) {
			strides[d] = stride;
			stride *= shape[d];
		}
		for (long s : strides) p.integer(s);
		p.op('t');
		p.op(0x89); // requires_grad = False
		p.global("collections", "OrderedDict").op(')').op('R'); // backward hooks
		p.op('t').op('R');
	}

	/** The few pickle opcodes a state dict needs. */
	private static final class Pickler {
		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Pickler op(int code) {
			out.write(code);
			return this;
		}

		Pickler global(String module, String name) {
			write("c" + module + "\n" + name + "\n");
			return this;
		}

		Pickler string(String s) {
			byte[] b = s.getBytes(StandardCharsets.UTF_8);
			op('X');
			int n = b.length;
			out.write(n & 0xff);
			out.write((n >>> 8) & 0xff);
			out.write((n >>> 16) & 0xff);
			out.write((n >>> 24) & 0xff);
			out.write(b, 0, b.length);
			return this;
		}

		Pickler integer(long v) {
			if (v >= 0 && v < 256) return op('K').op((int) v);
			if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
				op('J');
				for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
				return this;
			}
			op(0x8a).op(8); // LONG1 with 8 bytes, little-endian two's complement
			for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xff);
			return this;
		}

		/** Plain data: a string, number, boolean, null, or a list or string-keyed map of these. */
		Pickler value(Object v) {
			if (v == null) return op('N');
			if (v instanceof String) return string((String) v);
			if (v instanceof Boolean) return op((Boolean) v ? 0x88 : 0x89); // NEWTRUE, NEWFALSE
			if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return integer(((Number) v).longValue());
			if (v instanceof Number) {
				op('G'); // BINFLOAT, big-endian
				long bits = Double.doubleToLongBits(((Number) v).doubleValue());
				for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)) & 0xff);
				return this;
			}
			if (v instanceof List) {
				op(']').op('('); // EMPTY_LIST, MARK
				for (Object x : (List<?>) v) value(x);
				return op('e'); // APPENDS
			}
			if (v instanceof Map) {
				op('}').op('('); // EMPTY_DICT, MARK
				for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
					string(String.valueOf(e.getKey()));
					value(e.getValue());
				}
				return op('u'); // SETITEMS
			}
			throw new IllegalArgumentException("cannot pickle a " + v.getClass().getSimpleName());
		}

		private void write(String ascii) {
			byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
			out.write(b, 0, b.length);
		}

		byte[] bytes() {
			return out.toByteArray();
		}
	}

}
