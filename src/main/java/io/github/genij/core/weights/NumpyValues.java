package io.github.genij.core.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.genij.core.weights.PickleValues.Tuple;

/**
 * numpy's scalars as pickles hold them ({@code numpy.core.multiarray.scalar(dtype, bytes)}, with
 * {@code numpy.dtype('f8')} and its state), read into Java numbers; and {@code _codecs.encode}, which
 * protocol 2 pickles use for bytes. Only data is made: no numpy code exists here to run.
 */
final class NumpyValues {

	private NumpyValues() {}

	/** A numpy dtype: its type string ({@code f8}, {@code i4}, ...) and byte order from BUILD. */
	static final class Dtype implements PickleReader.Buildable {
		final String code;
		char order = '<';

		Dtype(String code) {
			this.code = code;
		}

		@Override
		public void setState(Object state) {
			if (state instanceof Tuple && ((Tuple) state).size() > 1 && ((Tuple) state).get(1) instanceof String) {
				String o = (String) ((Tuple) state).get(1);
				if (!o.isEmpty()) order = o.charAt(0);
			}
		}

		ByteOrder byteOrder() {
			return order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		}

		/** Bytes per element, or -1 for a type GenIJ does not read. */
		int size() {
			switch (code) {
				case "f8": case "i8": case "u8": return 8;
				case "f4": case "i4": case "u4": return 4;
				case "f2": case "i2": case "u2": return 2;
				case "i1": case "u1": case "b1": return 1;
				default: return -1;
			}
		}

		@Override
		public String toString() {
			return "numpy.dtype(" + order + code + ")";
		}
	}

	static Dtype dtype(Tuple args) {
		if (args.size() < 1 || !(args.get(0) instanceof String)) throw new CheckpointException("a malformed numpy dtype");
		return new Dtype((String) args.get(0));
	}

	/** A numpy scalar as a Double or Long; other kinds stay a description. */
	static Object scalar(Tuple args) {
		if (args.size() < 2 || !(args.get(0) instanceof Dtype) || !(args.get(1) instanceof byte[]))
			return "numpy scalar";
		Dtype t = (Dtype) args.get(0);
		byte[] b = (byte[]) args.get(1);
		if (t.size() < 0 || b.length != t.size()) return "numpy scalar of " + t;
		ByteBuffer buf = ByteBuffer.wrap(b).order(t.byteOrder());
		switch (t.code) {
			case "f8": return buf.getDouble();
			case "f4": return (double) buf.getFloat();
			case "i8": case "u8": return buf.getLong();
			case "i4": return (long) buf.getInt();
			case "u4": return buf.getInt() & 0xffffffffL;
			case "i2": return (long) buf.getShort();
			case "u2": return (long) (buf.getShort() & 0xffff);
			case "i1": return (long) b[0];
			case "u1": return (long) (b[0] & 0xff);
			case "b1": return b[0] != 0;
			default: return "numpy scalar of " + t;
		}
	}

	/** {@code _codecs.encode(text, 'latin1')}: protocol 2's spelling of a bytes object. */
	static byte[] encode(Tuple args) {
		if (args.size() < 1 || !(args.get(0) instanceof String)) throw new CheckpointException("a malformed _codecs.encode");
		String enc = args.size() > 1 ? String.valueOf(args.get(1)) : "utf-8";
		return ((String) args.get(0)).getBytes(enc.startsWith("latin") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
	}

	/**
	 * A numpy array as pickles make it: {@code numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')}, then
	 * BUILD with (version, shape, dtype, fortran order, raw bytes).
	 */
	static final class NdArray implements PickleReader.Buildable {
		private long[] shape;
		private Dtype dtype;
		private byte[] data;

		@Override
		public void setState(Object state) {
			if (!(state instanceof Tuple) || ((Tuple) state).size() < 5) throw new CheckpointException("a malformed numpy array");
			Tuple t = (Tuple) state;
			if (!(t.get(1) instanceof Tuple) || !(t.get(2) instanceof Dtype) || !(t.get(4) instanceof byte[]))
				throw new CheckpointException("a malformed numpy array");
			if (Boolean.TRUE.equals(t.get(3))) throw new CheckpointException("a numpy array in Fortran order");
			List<Object> dims = ((Tuple) t.get(1)).items;
			shape = new long[dims.size()];
			long n = 1;
			for (int i = 0; i < shape.length; i++) {
				if (!(dims.get(i) instanceof Long) || (Long) dims.get(i) < 0) throw new CheckpointException("a malformed numpy shape");
				shape[i] = (Long) dims.get(i);
				n = Math.multiplyExact(n, shape[i]);
			}
			dtype = (Dtype) t.get(2);
			data = (byte[]) t.get(4);
			if (dtype.size() < 0 || n * dtype.size() != data.length)
				throw new CheckpointException("a numpy array whose data does not fit its shape (" + dtype + ")");
		}

		/** As a float32 tensor (GenIJ computes in float32). */
		WeightTensor tensor() {
			if (data == null) throw new CheckpointException("a numpy array without data");
			if (!dtype.code.startsWith("f")) throw new CheckpointException("a numpy array of " + dtype + ", not floating point");
			int count = data.length / dtype.size();
			float[] v = new float[count];
			ByteBuffer b = ByteBuffer.wrap(data).order(dtype.byteOrder());
			for (int i = 0; i < count; i++)
				v[i] = dtype.size() == 8 ? (float) b.getDouble() : dtype.size() == 4 ? b.getFloat() : NumpyFiles.halfToFloat(b.getShort());
			return WeightTensor.ofFloats(v, shape);
		}
	}
}
