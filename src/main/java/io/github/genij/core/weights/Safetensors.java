package io.github.genij.core.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. GenIJ's own weights are stored this way. Reading checks
 * every range against the file, so a damaged file gives a {@link CheckpointException}.
 */
public final class Safetensors {

	private static final long MAX_HEADER = 100L << 20;

	private Safetensors() {}

	/** True if the file starts like safetensors (a plausible header length, then '{'). */
	public static boolean looksLike(Path file) {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
			if (ch.read(b) < 9) return false;
			long n = b.getLong(0);
			return n > 1 && n <= MAX_HEADER && n + 8 <= ch.size() && b.get(8) == '{';
		}
		catch (IOException e) {
			return false;
		}
	}

	public static Map<String, WeightTensor> read(Path file) {
		String name = file.getFileName().toString();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = ch.size();
			ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			if (ch.read(lenBuf, 0) < 8) throw new CheckpointException(name + " is too short to be safetensors.");
			long headerLen = lenBuf.getLong(0);
			if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > size - 8)
				throw new CheckpointException(name + " is not a valid safetensors file (header length " + headerLen + ").");
			ByteBuffer header = ByteBuffer.allocate((int) headerLen);
			readFully(ch, header, 8, name);
			JsonObject json;
			try {
				json = new Gson().fromJson(new String(header.array(), StandardCharsets.UTF_8), JsonObject.class);
			}
			catch (JsonParseException | IllegalStateException e) {
				throw new CheckpointException(name + " has a damaged safetensors header: " + e.getMessage(), e);
			}
			if (json == null) throw new CheckpointException(name + " has an empty safetensors header.");
			long dataStart = 8 + headerLen, dataSize = size - dataStart;
			Map<String, WeightTensor> out = new LinkedHashMap<>();
			for (Map.Entry<String, JsonElement> e : json.entrySet()) {
				if (e.getKey().equals("__metadata__")) continue;
				out.put(e.getKey(), tensor(ch, e.getKey(), e.getValue(), dataStart, dataSize, name));
			}
			return out;
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	private static WeightTensor tensor(FileChannel ch, String key, JsonElement spec, long dataStart, long dataSize,
		String name) throws IOException
	{
		try {
			JsonObject o = spec.getAsJsonObject();
			DType dtype = DType.ofSafetensors(o.get("dtype").getAsString());
			if (dtype == null) throw new CheckpointException(name + ": '" + key + "' has unsupported dtype " + o.get("dtype"));
			JsonArray shapeJson = o.getAsJsonArray("shape"), offsets = o.getAsJsonArray("data_offsets");
			if (shapeJson.size() > 16) throw new CheckpointException(name + ": '" + key + "' has rank " + shapeJson.size());
			long[] shape = new long[shapeJson.size()];
			long n = 1;
			for (int i = 0; i < shape.length; i++) {
				shape[i] = shapeJson.get(i).getAsLong();
				if (shape[i] < 0) throw new CheckpointException(name + ": '" + key + "' has a negative dimension.");
				n = Math.multiplyExact(n, shape[i]);
			}
			long begin = offsets.get(0).getAsLong(), end = offsets.get(1).getAsLong();
			if (begin < 0 || end < begin || end > dataSize || end - begin != Math.multiplyExact(n, dtype.bytes))
				throw new CheckpointException(name + ": '" + key + "' has byte range " + begin + ".." + end +
					" that does not fit its shape or the file.");
			if (end - begin > Integer.MAX_VALUE - 8) throw new CheckpointException(name + ": '" + key + "' is larger than 2 GB.");
			ByteBuffer data = ByteBuffer.allocate((int) (end - begin));
			readFully(ch, data, dataStart + begin, name);
			return new WeightTensor(dtype, shape, data.array());
		}
		catch (IllegalStateException | NullPointerException | UnsupportedOperationException | IndexOutOfBoundsException |
			ArithmeticException | ClassCastException | NumberFormatException e)
		{
			throw new CheckpointException(name + ": the header entry of '" + key + "' is malformed.", e);
		}
	}

	private static void readFully(FileChannel ch, ByteBuffer into, long position, String name) throws IOException {
		long at = position;
		while (into.hasRemaining()) {
			int r = ch.read(into, at);
			if (r < 0) throw new CheckpointException(name + " is truncated.");
			at += r;
		}
	}

	/** The file's {@code __metadata__} strings (empty when it has none). */
	public static Map<String, String> readMetadata(Path file) {
		String name = file.getFileName().toString();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			if (ch.read(lenBuf, 0) < 8) throw new CheckpointException(name + " is too short to be safetensors.");
			long headerLen = lenBuf.getLong(0);
			if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > ch.size() - 8)
				throw new CheckpointException(name + " is not a valid safetensors file (header length " + headerLen + ").");
			ByteBuffer header = ByteBuffer.allocate((int) headerLen);
			readFully(ch, header, 8, name);
			JsonObject json = new Gson().fromJson(new String(header.array(), StandardCharsets.UTF_8), JsonObject.class);
			Map<String, String> out = new TreeMap<>();
			if (json != null && json.has("__metadata__") && json.get("__metadata__").isJsonObject()) {
				for (Map.Entry<String, com.google.gson.JsonElement> e : json.getAsJsonObject("__metadata__").entrySet())
					out.put(e.getKey(), e.getValue().getAsString());
			}
			return out;
		}
		catch (IOException | RuntimeException e) {
			if (e instanceof CheckpointException) throw (CheckpointException) e;
			throw new CheckpointException("Cannot read " + name + ": " + e.getMessage(), e);
		}
	}

	/** Writes tensors (in name order) and optional string metadata, atomically (temporary file, then rename). */
	public static void write(Path file, Map<String, WeightTensor> tensors, Map<String, String> metadata) {
		Map<String, WeightTensor> sorted = new TreeMap<>(tensors);
		JsonObject header = new JsonObject();
		if (metadata != null && !metadata.isEmpty()) {
			JsonObject meta = new JsonObject();
			metadata.forEach(meta::addProperty);
			header.add("__metadata__", meta);
		}
		long offset = 0;
		for (Map.Entry<String, WeightTensor> e : sorted.entrySet()) {
			WeightTensor t = e.getValue();
			JsonObject o = new JsonObject();
			o.addProperty("dtype", t.dtype.safetensors);
			JsonArray shape = new JsonArray();
			for (long s : t.shape()) shape.add(s);
			o.add("shape", shape);
			JsonArray offsets = new JsonArray();
			offsets.add(offset);
			offsets.add(offset + t.bytes().length);
			o.add("data_offsets", offsets);
			header.add(e.getKey(), o);
			offset += t.bytes().length;
		}
		byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
		try (OutputStream out = Files.newOutputStream(tmp)) {
			ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
			out.write(len.array());
			out.write(json);
			for (int i = json.length; i < padded; i++) out.write(' ');
			for (WeightTensor t : sorted.values()) out.write(t.bytes());
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot write " + file + ": " + e.getMessage(), e);
		}
		try {
			Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new CheckpointException("Cannot write " + file + ": " + e.getMessage(), e);
		}
	}
}
