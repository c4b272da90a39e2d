package io.github.genij.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.github.genij.core.weights.PickleValues.Global;
import io.github.genij.core.weights.PickleValues.Inert;
import io.github.genij.core.weights.PickleValues.Tuple;

/**
 * Reads PyTorch checkpoints ({@code torch.save} output) in both container formats, told apart by their
 * first bytes: the zip format of PyTorch &ge; 1.6 ({@code PK\3\4}), and the legacy format of earlier
 * versions (a run of pickles followed by raw storages), which most released checkpoints of the models
 * GenIJ supports use.
 * <p>
 * Tensors are found anywhere in the saved object (a state_dict, or one nested in a training checkpoint
 * beside optimiser state, epochs and an {@code argparse.Namespace}) and named by their dotted path. Views
 * with offsets and strides, and tensors sharing one storage, come out as independent contiguous tensors.
 */
public final class TorchCheckpoint {

	/** PyTorch's legacy magic number. */
	private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
	private static final int MAX_RANK = 16, MAX_DEPTH = 64;
	/**
	 * How many places the objects of a file may be found at. Shared references make a tiny file a huge
	 * tree (a list shared four ways at each of 60 levels is 4^60 paths): walking stops here. Real
	 * checkpoints, NVIDIA's pickles with their module trees included, hold well under a million.
	 */
	static final int MAX_VISITS = 2_000_000;
	private static final long MAX_PICKLE_BYTES = 1L << 28;

	/** Containers that hold the model's own state dict in training checkpoints, by preference. */
	private static final String[] STATE_DICT_KEYS = { "g_ema", "G_ema", "state_dict", "model_state_dict", "model", "params_ema",
		"params", "net", "generator", "netG", "G" };

	private final String format;
	private final Map<String, WeightTensor> tensors;
	private final Map<String, Object> values;
	private final Object root;

	private TorchCheckpoint(String format, Object root, Map<String, WeightTensor> tensors, Map<String, Object> values) {
		this.format = format;
		this.root = root;
		this.tensors = Collections.unmodifiableMap(tensors);
		this.values = Collections.unmodifiableMap(values);
	}

	/** "zip", "legacy" or "pickle" (a plain pickle of modules, NVIDIA's network snapshots). */
	public String format() {
		return format;
	}

	/** Every tensor in the file, by dotted path ({@code state_dict.conv1.weight}). */
	public Map<String, WeightTensor> tensors() {
		return tensors;
	}

	/** Plain values beside the tensors (epochs, options, an argparse.Namespace's fields), by dotted path. */
	public Map<String, Object> values() {
		return values;
	}

	/**
	 * The model's state dict: the saved object itself if it holds tensors directly, else the entry of a
	 * training checkpoint that does ({@code g_ema}, {@code state_dict}, {@code model}, ... or the largest).
	 * Keys are relative to it.
	 */
	public Map<String, WeightTensor> stateDict() {
		if (!(root instanceof Map)) return tensors;
		Map<?, ?> top = (Map<?, ?>) root;
		// A known wrapper wins even beside loose tensors ({'g_ema': ..., 'latent_avg': tensor}).
		for (String k : STATE_DICT_KEYS)
			if (top.get(k) instanceof Map && !under(k).isEmpty()) return under(k);
		for (Object v : top.values())
			if (v instanceof TensorRef) return tensors;
		String best = null;
		int most = 0;
		for (Object k : top.keySet()) {
			int n = under(String.valueOf(k)).size();
			if (top.get(k) instanceof Map && n > most && !String.valueOf(k).startsWith("optim")) {
				most = n;
				best = String.valueOf(k);
			}
		}
		return best == null ? tensors : under(best);
	}

	/**
	 * The module a plain pickle holds under {@code key} of its top-level dict (NVIDIA's {@code G_ema}), with
	 * its class names and attributes; null if there is none.
	 */
	public ModuleMap module(String key) {
		if (!(root instanceof Map)) return null;
		Object m = ((Map<?, ?>) root).get(key);
		return m instanceof ModuleMap ? (ModuleMap) m : null;
	}

	/** NVIDIA's TensorFlow-era networks, when the file is such a pickle (a tuple of them: G, D, Gs); else empty. */
	public List<TfNetwork> tensorflowNetworks() {
		List<TfNetwork> out = new ArrayList<>();
		if (root instanceof Tuple) for (Object o : ((Tuple) root).items) if (o instanceof TfNetwork) out.add((TfNetwork) o);
		return out;
	}

	/** The tensors under a dotted prefix, with the prefix removed. */
	public Map<String, WeightTensor> under(String prefix) {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		String p = prefix + ".";
		for (Map.Entry<String, WeightTensor> e : tensors.entrySet())
			if (e.getKey().startsWith(p)) out.put(e.getKey().substring(p.length()), e.getValue());
		return out;
	}

	/** Reads a checkpoint; a {@link CheckpointException} names what is wrong with a file that cannot be read. */
	public static TorchCheckpoint read(Path file) {
		try {
			return readChecked(file);
		}
		catch (CheckpointException e) {
			throw e;
		}
		catch (RuntimeException e) {
			// The file is untrusted input: whatever else a damaged one provokes is reported as damage.
			throw new CheckpointException(file.getFileName() + " is damaged or not a PyTorch checkpoint (" + e + ").", e);
		}
	}

	private static TorchCheckpoint readChecked(Path file) {
		String name = file.getFileName().toString();
		long size;
		byte[] head = new byte[4];
		try (InputStream in = Files.newInputStream(file)) {
			size = Files.size(file);
			if (in.readNBytes(head, 0, 4) < 4) throw new CheckpointException(name + " is too short to be a checkpoint.");
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return readZip(file, name, size);
		if ((head[0] & 0xff) == 0x80) return readLegacyOrPickle(file, name, size);
		throw new CheckpointException(name + " is not a PyTorch checkpoint (neither the zip nor the legacy format). " +
			"Checkpoints from PyTorch before 0.4 (tar archives) and TorchScript files are not state dicts.");
	}

	// --- the two containers -------------------------------------------------------------------------

	private static TorchCheckpoint readZip(Path file, String name, long fileSize) {
		try (ZipFile zip = new ZipFile(file.toFile())) {
			ZipEntry pickle = null;
			for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
				ZipEntry e = en.nextElement();
				if (e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().length() - 9) {
					pickle = e;
					break;
				}
			}
			if (pickle == null) {
				throw new CheckpointException(name + " is a zip file without data.pkl: not a torch.save checkpoint " +
					"(a TorchScript model or another archive?).");
			}
			String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
			ZipEntry order = zip.getEntry(prefix + "byteorder");
			if (order != null && !new String(readEntry(zip, order, 16, name), "US-ASCII").trim().equals("little")) {
				throw new CheckpointException(name + " stores big-endian tensors, which GenIJ does not read.");
			}
			byte[] pkl = readEntry(zip, pickle, Math.min(MAX_PICKLE_BYTES, fileSize), name);
			Storages storages = new Storages(name);
			TorchHooks hooks = new TorchHooks(storages, name, false);
			Object root = new PickleReader(pkl, 0, pkl.length, hooks, name).load();
			for (StorageRef s : storages.all()) {
				if (s.root != null) continue;
				ZipEntry e = zip.getEntry(prefix + "data/" + s.key);
				if (e == null) throw new CheckpointException(name + " lacks the data of storage '" + s.key + "'.");
				long bytes = s.numel * s.dtype.bytes;
				if (bytes > fileSize) throw new CheckpointException(name + ": storage '" + s.key + "' claims " + bytes +
					" bytes, more than the whole file.");
				s.data = readEntry(zip, e, bytes, name);
				if (s.data.length != bytes) throw new CheckpointException(name + ": storage '" + s.key + "' holds " +
					s.data.length + " bytes, expected " + bytes + ".");
			}
			return collect("zip", root, name);
		}
		catch (ZipException e) {
			throw new CheckpointException(name + " is a damaged zip file: " + e.getMessage(), e);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** An entry's bytes, never more than {@code limit} (a forged size cannot make us allocate more). */
	private static byte[] readEntry(ZipFile zip, ZipEntry e, long limit, String name) throws IOException {
		if (limit > Integer.MAX_VALUE - 8) throw new CheckpointException(name + ": a part larger than 2 GB is not supported.");
		try (InputStream in = zip.getInputStream(e)) {
			byte[] b = in.readNBytes((int) limit);
			if (b.length == limit && in.read() != -1) {
				throw new CheckpointException(name + ": entry " + e.getName() + " is larger than it should be.");
			}
			return b;
		}
	}

	/**
	 * A file that starts with a pickle: PyTorch's legacy format (a magic number first), else a plain pickle
	 * of modules and tensors (NVIDIA's {@code network-snapshot-*.pkl}), read with a stricter whitelist.
	 */
	private static TorchCheckpoint readLegacyOrPickle(Path file, String name, long fileSize) {
		if (fileSize > Integer.MAX_VALUE - 8)
			throw new CheckpointException(name + " is larger than 2 GB; GenIJ reads such checkpoints up to 2 GB.");
		byte[] data;
		try {
			data = Files.readAllBytes(file);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		if (startsWithMagic(data, name)) return collect("legacy", readLegacy(data, new Storages(name), name), name);
		return readPlainPickle(data, name);
	}

	/** Whether the first pickle is PyTorch's magic number (PROTO, an optional FRAME, then LONG1 of 10 bytes). */
	private static boolean startsWithMagic(byte[] data, String name) {
		int p = 2;
		if (data.length > p && (data[p] & 0xff) == 0x95) p += 9;
		if (data.length < p + 12 || (data[p] & 0xff) != 0x8a || data[p + 1] != 10) return false;
		byte[] be = new byte[10];
		for (int i = 0; i < 10; i++) be[i] = data[p + 11 - i]; // LONG1 is little-endian two's complement
		return LEGACY_MAGIC.equals(new BigInteger(be));
	}

	/**
	 * A plain pickle: one object, modules as NVIDIA's persistent objects, tensors whose storages are each a
	 * small legacy {@code torch.save} ({@code torch.storage._load_from_bytes}). Any call of a global off the
	 * whitelist refuses the file: such pickles have no reason to make one.
	 */
	private static TorchCheckpoint readPlainPickle(byte[] data, String name) {
		Storages storages = new Storages(name);
		PickleReader reader = new PickleReader(data, 0, data.length, new TorchHooks(storages, name, true), name);
		Object root = reader.load();
		if (reader.position() != data.length) throw new CheckpointException(name + " has data after its pickle: not a file GenIJ reads.");
		return collect("pickle", root, name);
	}

	/** The object of a legacy {@code torch.save} in {@code data}, its storages filled. */
	private static Object readLegacy(byte[] data, Storages storages, String name) {
		TorchHooks hooks = new TorchHooks(storages, name, false);
		PickleReader reader = new PickleReader(data, 0, data.length, hooks, name);
		Object magic = reader.load();
		if (!LEGACY_MAGIC.equals(magic instanceof Long ? BigInteger.valueOf((Long) magic) : magic))
			throw new CheckpointException(name + " starts like a pickle but is not a PyTorch checkpoint (wrong magic number).");
		Object protocol = reader.load();
		if (!Long.valueOf(1001).equals(protocol))
			throw new CheckpointException(name + " uses checkpoint protocol " + protocol + "; GenIJ reads 1001.");
		Object sysInfo = reader.load();
		if (sysInfo instanceof Map && Boolean.FALSE.equals(((Map<?, ?>) sysInfo).get("little_endian")))
			throw new CheckpointException(name + " was written on a big-endian machine, which GenIJ does not read.");
		Object root = reader.load();
		Object keys = reader.load();
		if (!(keys instanceof List)) throw new CheckpointException(name + ": the list of storages is missing.");
		int pos = reader.position();
		for (Object k : (List<?>) keys) {
			StorageRef s = storages.get(String.valueOf(k));
			if (s == null) throw new CheckpointException(name + " stores data for storage '" + k + "' that nothing uses.");
			if (pos + 8 > data.length) throw truncated(name);
			long numel = 0;
			for (int i = 0; i < 8; i++) numel |= (data[pos + i] & 0xffL) << (8 * i);
			pos += 8;
			if (numel < 0 || numel > (data.length - pos) / s.dtype.bytes) throw truncated(name);
			int bytes = (int) (numel * s.dtype.bytes);
			s.numel = Math.max(s.numel, numel);
			s.data = new byte[bytes];
			System.arraycopy(data, pos, s.data, 0, bytes);
			pos += bytes;
		}
		return root;
	}

	/** {@code torch.storage._load_from_bytes(blob)}: a storage saved on its own in the legacy format. */
	private static StorageRef storageFromBytes(byte[] blob, String name) {
		Object root = readLegacy(blob, new Storages(name), name);
		if (!(root instanceof StorageRef) || ((StorageRef) root).bytes() == null)
			throw new CheckpointException(name + ": a storage blob does not hold a storage.");
		return (StorageRef) root;
	}

	private static CheckpointException truncated(String name) {
		return new CheckpointException(name + " is truncated: its tensor data ends early.");
	}

	// --- storages and tensors -----------------------------------------------------------------------

	/** A storage named by a persistent id; its bytes arrive later (legacy) or from its own zip entry. */
	static final class StorageRef {
		final String key;
		final DType dtype;
		long numel;
		byte[] data;
		/** For legacy views: the storage this one is a window of, and where the window starts. */
		StorageRef root;
		long rootOffset;

		StorageRef(String key, DType dtype, long numel) {
			this.key = key;
			this.dtype = dtype;
			this.numel = numel;
		}

		byte[] bytes() {
			return root != null ? root.bytes() : data;
		}

		long base() {
			return root != null ? root.base() + rootOffset : 0;
		}
	}

	static final class Storages {
		private final Map<String, StorageRef> byKey = new LinkedHashMap<>();
		private final String name;

		Storages(String name) {
			this.name = name;
		}

		StorageRef get(String key) {
			return byKey.get(key);
		}

		List<StorageRef> all() {
			return new ArrayList<>(byKey.values());
		}

		StorageRef declare(String key, DType dtype, long numel) {
			if (numel < 0) throw new CheckpointException(name + ": storage '" + key + "' has a negative size.");
			StorageRef s = byKey.get(key);
			if (s == null) byKey.put(key, s = new StorageRef(key, dtype, numel));
			else if (s.dtype != dtype) throw new CheckpointException(name + ": storage '" + key + "' is used with two types.");
			return s;
		}
	}

	/** A tensor as the pickle describes it: a window into a storage. Materialised once storages are read. */
	static final class TensorRef {
		final StorageRef storage;
		final long offset;
		final long[] size, stride;

		TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
			this.storage = storage;
			this.offset = offset;
			this.size = size;
			this.stride = stride;
		}
	}

	/** The whitelist: what a PyTorch checkpoint may name, and what calling it means. */
	private static final class TorchHooks implements PickleReader.Hooks {

		private enum Fn { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR, REBUILD_PARAMETER, REBUILD_PARAMETER_STATE,
			REBUILD_FROM_TYPE, SIZE, LOAD_FROM_BYTES, PERSISTENT_OBJECT, EASY_DICT, NUMPY_DTYPE, NUMPY_SCALAR, CODECS_ENCODE,
			NUMPY_RECONSTRUCT, NUMPY_NDARRAY, TF_NETWORK, COPYREG_RECONSTRUCTOR }

		private final Storages storages;
		private final String name;
		/** Plain pickles: a call of any global off the whitelist refuses the file. */
		private final boolean strict;

		TorchHooks(Storages storages, String name, boolean strict) {
			this.storages = storages;
			this.name = name;
			this.strict = strict;
		}

		@Override
		public Object inertCall(Global type, Tuple args) {
			if (strict) {
				throw new CheckpointException(name + " asks to call " + type.qualified() + ", which is not part of a network " +
					"snapshot; GenIJ refuses the file (nothing in it was run).");
			}
			return PickleReader.Hooks.super.inertCall(type, args);
		}

		@Override
		public Object global(String module, String n) {
			String q = module + "." + n;
			switch (q) {
				case "collections.OrderedDict": return Fn.ORDERED_DICT;
				case "torch._utils._rebuild_tensor_v2": return Fn.REBUILD_TENSOR_V2;
				case "torch._utils._rebuild_tensor": return Fn.REBUILD_TENSOR;
				case "torch._utils._rebuild_parameter": return Fn.REBUILD_PARAMETER;
				case "torch._utils._rebuild_parameter_with_state": return Fn.REBUILD_PARAMETER_STATE;
				case "torch._tensor._rebuild_from_type_v2":
				case "torch._tensor._rebuild_from_type": return Fn.REBUILD_FROM_TYPE;
				case "torch.Size": return Fn.SIZE;
				case "torch.storage._load_from_bytes": return Fn.LOAD_FROM_BYTES;
				case "torch_utils.persistence._reconstruct_persistent_obj": return Fn.PERSISTENT_OBJECT;
				case "dnnlib.util.EasyDict": return Fn.EASY_DICT;
				case "numpy.dtype": return Fn.NUMPY_DTYPE;
				case "numpy.core.multiarray.scalar":
				case "numpy._core.multiarray.scalar": return Fn.NUMPY_SCALAR;
				case "_codecs.encode": return Fn.CODECS_ENCODE;
				case "numpy.core.multiarray._reconstruct":
				case "numpy._core.multiarray._reconstruct": return Fn.NUMPY_RECONSTRUCT;
				case "numpy.ndarray": return Fn.NUMPY_NDARRAY;
				case "dnnlib.tflib.network.Network":
				case "tfutil.Network": // ProGAN's TensorFlow pickles
				case "network.Network": return Fn.TF_NETWORK; // ProGAN's Theano-era pickles (NVIDIA's legacy.py reads them)
				case "copyreg._reconstructor": return Fn.COPYREG_RECONSTRUCTOR;
				default:
			}
			if (module.equals("torch") && DType.ofTorchStorage(n) != null) return DType.ofTorchStorage(n);
			if (q.startsWith("torch._utils._rebuild_") && !q.equals("torch._utils._rebuild_device_tensor_from_numpy")) {
				throw new CheckpointException(name + " holds a kind of tensor GenIJ does not read (" + q + "; quantized or " +
					"sparse tensors).");
			}
			return null; // inert
		}

		@Override
		public Object call(Object callable, Tuple args) {
			if (callable instanceof DType) throw new CheckpointException(name + ": a storage type cannot be called here.");
			if (callable instanceof NumpyValues.Dtype) throw bad("a numpy dtype called");
			switch ((Fn) callable) {
				case ORDERED_DICT:
				case EASY_DICT: return PickleValues.dict();
				case LOAD_FROM_BYTES:
					if (args.size() != 1 || !(args.get(0) instanceof byte[])) throw bad("a malformed storage blob");
					return storageFromBytes((byte[]) args.get(0), name);
				case PERSISTENT_OBJECT:
					if (args.size() != 1 || !(args.get(0) instanceof Map)) throw bad("a malformed persistent object");
					return ModuleMap.of((Map<?, ?>) args.get(0), name);
				case NUMPY_DTYPE: return NumpyValues.dtype(args);
				case NUMPY_SCALAR: return NumpyValues.scalar(args);
				case CODECS_ENCODE: return NumpyValues.encode(args);
				case NUMPY_RECONSTRUCT:
					if (args.size() < 1 || args.get(0) != Fn.NUMPY_NDARRAY) throw bad("a numpy reconstruction of something else");
					return new NumpyValues.NdArray();
				case TF_NETWORK: return new TfNetwork(); // NEWOBJ; its state arrives with BUILD
				case COPYREG_RECONSTRUCTOR: // protocol 0/1 spelling of the same: (class, object, None)
					if (args.size() < 1 || args.get(0) != Fn.TF_NETWORK) throw bad("a copyreg reconstruction of something else");
					return new TfNetwork();
				case SIZE: return args.size() == 1 ? args.get(0) : args;
				case REBUILD_TENSOR_V2:
				case REBUILD_TENSOR: {
					if (args.size() < 4) throw bad("a tensor rebuild with " + args.size() + " arguments");
					if (!(args.get(0) instanceof StorageRef)) throw bad("a tensor without a storage");
					return new TensorRef((StorageRef) args.get(0), toLong(args.get(1)), longs(args.get(2)), longs(args.get(3)));
				}
				case REBUILD_PARAMETER:
				case REBUILD_PARAMETER_STATE:
					if (args.size() < 1) throw bad("a parameter without data");
					return args.get(0);
				case REBUILD_FROM_TYPE: {
					if (args.size() < 3 || !(args.get(0) instanceof Fn) || !(args.get(2) instanceof Tuple))
						throw bad("a malformed tensor subclass rebuild");
					return call(args.get(0), (Tuple) args.get(2));
				}
				default:
					throw bad("an unexpected call");
			}
		}

		@Override
		public Object persistentLoad(Object pid) {
			if (!(pid instanceof Tuple) || ((Tuple) pid).size() < 5 || !"storage".equals(((Tuple) pid).get(0)))
				throw bad("an unknown persistent id " + pid);
			Tuple t = (Tuple) pid;
			DType dtype = t.get(1) instanceof DType ? (DType) t.get(1) : null;
			if (dtype == null) {
				throw new CheckpointException(name + " stores tensors of type " + t.get(1) + ", which GenIJ does not read " +
					"(it reads float32/16/64, bfloat16, int64/32/16/8, uint8 and bool).");
			}
			StorageRef s = storages.declare(String.valueOf(t.get(2)), dtype, toLong(t.get(4)));
			if (t.size() > 5 && t.get(5) instanceof Tuple) {
				// legacy view: (view key, offset into this storage, view size)
				Tuple view = (Tuple) t.get(5);
				if (view.size() < 3) throw bad("a malformed storage view");
				StorageRef v = storages.declare(String.valueOf(view.get(0)), dtype, toLong(view.get(2)));
				v.root = s;
				v.rootOffset = toLong(view.get(1));
				if (v.rootOffset < 0 || v.rootOffset + v.numel > s.numel) throw bad("a storage view outside its storage");
				return v;
			}
			return s;
		}

		private long toLong(Object o) {
			if (o instanceof Long) return (Long) o;
			if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
			throw bad("a number that is not an integer: " + o);
		}

		private long[] longs(Object o) {
			List<Object> items = o instanceof Tuple ? ((Tuple) o).items : null;
			if (items == null) throw bad("a tensor shape that is not a tuple");
			if (items.size() > MAX_RANK) throw bad("a tensor of rank " + items.size());
			long[] v = new long[items.size()];
			for (int i = 0; i < v.length; i++) v[i] = toLong(items.get(i));
			return v;
		}

		private CheckpointException bad(String what) {
			return new CheckpointException(name + " is not a readable PyTorch checkpoint: " + what + ".");
		}
	}

	/** Copies a (possibly strided, possibly offset) window of a storage into a contiguous tensor. */
	static WeightTensor materialize(TensorRef t, String key, String name) {
		StorageRef s = t.storage;
		byte[] src = s.bytes();
		if (src == null) throw new CheckpointException(name + ": the data of '" + key + "' is missing.");
		int rank = t.size.length;
		if (t.stride.length != rank) throw new CheckpointException(name + ": '" + key + "' has mismatched shape and strides.");
		long n = 1, last = t.offset + s.base();
		for (int i = 0; i < rank; i++) {
			if (t.size[i] < 0 || t.stride[i] < 0) throw new CheckpointException(name + ": '" + key + "' has a negative size.");
			n = Math.multiplyExact(n, t.size[i]);
		}
		if (t.offset < 0) throw new CheckpointException(name + ": '" + key + "' starts before its storage.");
		int bytes = s.dtype.bytes;
		if (n > (Integer.MAX_VALUE - 8) / bytes) throw new CheckpointException(name + ": '" + key + "' is larger than 2 GB.");
		if (n > 0) {
			for (int i = 0; i < rank; i++) last = Math.addExact(last, Math.multiplyExact(t.size[i] - 1, t.stride[i]));
			if (last >= src.length / bytes)
				throw new CheckpointException(name + ": '" + key + "' reaches past the end of its storage.");
		}
		byte[] out = new byte[(int) (n * bytes)];
		if (n == 0) return new WeightTensor(s.dtype, t.size, out);
		long start = t.offset + s.base();
		if (isContiguous(t.size, t.stride)) {
			System.arraycopy(src, (int) (start * bytes), out, 0, out.length);
			return new WeightTensor(s.dtype, t.size, out);
		}
		long[] index = new long[rank];
		for (long e = 0; e < n; e++) {
			long at = start;
			for (int i = 0; i < rank; i++) at += index[i] * t.stride[i];
			System.arraycopy(src, (int) (at * bytes), out, (int) (e * bytes), bytes);
			for (int i = rank - 1; i >= 0; i--) {
				if (++index[i] < t.size[i]) break;
				index[i] = 0;
			}
		}
		return new WeightTensor(s.dtype, t.size, out);
	}

	private static boolean isContiguous(long[] size, long[] stride) {
		long expected = 1;
		for (int i = size.length - 1; i >= 0; i--) {
			if (size[i] != 1 && stride[i] != expected) return false;
			expected *= size[i];
		}
		return true;
	}

	// --- naming what was found ----------------------------------------------------------------------

	private static TorchCheckpoint collect(String format, Object root, String name) {
		Map<String, WeightTensor> tensors = new LinkedHashMap<>();
		Map<String, Object> values = new LinkedHashMap<>();
		Map<TensorRef, WeightTensor> done = new HashMap<>();
		walk(root, "", 0, tensors, values, done, new IdentityHashMap<>(), new int[1], name);
		return new TorchCheckpoint(format, root, tensors, values);
	}

	private static void walk(Object o, String path, int depth, Map<String, WeightTensor> tensors,
		Map<String, Object> values, Map<TensorRef, WeightTensor> done, IdentityHashMap<Object, Boolean> onPath, int[] visits,
		String name)
	{
		if (depth > MAX_DEPTH) throw new CheckpointException(name + " nests containers more than " + MAX_DEPTH + " deep.");
		if (++visits[0] > MAX_VISITS) {
			throw new CheckpointException(name + " shares its objects so often that they are found at more than " + MAX_VISITS +
				" places: not a checkpoint GenIJ reads (walking it would never end).");
		}
		if (o instanceof TensorRef) {
			WeightTensor w = done.get(o);
			if (w == null) done.put((TensorRef) o, w = materialize((TensorRef) o, path, name));
			tensors.put(path, w);
			return;
		}
		boolean container = o instanceof Map || o instanceof List || o instanceof Tuple || o instanceof Inert;
		if (!container) {
			if (o instanceof String || o instanceof Number || o instanceof Boolean) values.put(path, o);
			else if (o instanceof Global) values.put(path, o.toString());
			return;
		}
		if (onPath.put(o, Boolean.TRUE) != null) return; // a cycle: already being walked
		String prefix = path.isEmpty() ? "" : path + ".";
		if (o instanceof Map) {
			for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet())
				walk(e.getValue(), prefix + e.getKey(), depth + 1, tensors, values, done, onPath, visits, name);
			if (o instanceof ModuleMap) {
				// a module's attributes (its _init_kwargs, ...) are values beside its state dict, never tensors
				Map<String, WeightTensor> ignored = new LinkedHashMap<>();
				for (Map.Entry<?, ?> e : ((ModuleMap) o).attributes.entrySet())
					walk(e.getValue(), prefix + e.getKey(), depth + 1, ignored, values, done, onPath, visits, name);
			}
		}
		else if (o instanceof Inert) {
			values.put(path, o.toString());
			Inert inert = (Inert) o;
			if (inert.state != null) walk(inert.state, path, depth + 1, tensors, values, done, onPath, visits, name);
		}
		else {
			List<?> items = o instanceof Tuple ? ((Tuple) o).items : (List<?>) o;
			for (int i = 0; i < items.size(); i++)
				walk(items.get(i), prefix + i, depth + 1, tensors, values, done, onPath, visits, name);
		}
		onPath.remove(o);
	}
}
