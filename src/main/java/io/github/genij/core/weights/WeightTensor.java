package io.github.genij.core.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One tensor read from a weights file: element type, shape, and its values as contiguous little-endian
 * bytes in C order. Independent of any engine until {@link #toNDArray} is called.
 */
public final class WeightTensor {

	public final DType dtype;
	private final long[] shape;
	private final byte[] data;

	public WeightTensor(DType dtype, long[] shape, byte[] data) {
		long n = elements(shape);
		if (n * dtype.bytes != data.length)
			throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs " + n * dtype.bytes +
				" bytes, got " + data.length);
		this.dtype = dtype;
		this.shape = shape.clone();
		this.data = data;
	}

	/** Float32 values in C order as a tensor of {@code shape}. */
	public static WeightTensor ofFloats(float[] values, long[] shape) {
		ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(values);
		return new WeightTensor(DType.F32, shape, b.array());
	}

	/** A float32 snapshot of {@code a} (copied out of the engine). */
	public static WeightTensor of(NDArray a) {
		NDArray f = a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? a : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
		try {
			return ofFloats(f.toFloatArray(), a.getShape().getShape());
		}
		finally {
			if (f != a) f.close();
		}
	}

	public long[] shape() {
		return shape.clone();
	}

	public long elements() {
		return elements(shape);
	}

	static long elements(long[] shape) {
		long n = 1;
		for (long s : shape) n *= s;
		return n;
	}

	/** The raw little-endian bytes (not a copy: do not change them). */
	public byte[] bytes() {
		return data;
	}

	/** The values as floats, whatever the stored type (booleans are 0 and 1). */
	public float[] toFloats() {
		int n = (int) elements();
		float[] out = new float[n];
		ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < n; i++) {
			switch (dtype) {
				case F32: out[i] = b.getFloat(4 * i); break;
				case F16: out[i] = halfToFloat(b.getShort(2 * i)); break;
				case BF16: out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16); break;
				case F64: out[i] = (float) b.getDouble(8 * i); break;
				case I64: out[i] = b.getLong(8 * i); break;
				case I32: out[i] = b.getInt(4 * i); break;
				case I16: out[i] = b.getShort(2 * i); break;
				case I8: out[i] = data[i]; break;
				case U8: case BOOL: out[i] = data[i] & 0xff; break;
			}
		}
		return out;
	}

	/** This tensor as a float32 array in {@code manager} (what GenIJ's networks compute in). */
	public NDArray toNDArray(NDManager manager) {
		if (dtype == DType.F32) // straight from the file's bytes: one copy into the engine, no float[] on the way
			return manager.create(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), new Shape(shape));
		return manager.create(toFloats(), new Shape(shape));
	}

	/** IEEE 754 half precision to float, subnormals and infinities included. */
	static float halfToFloat(short h) {
		int bits = h & 0xffff, sign = (bits & 0x8000) << 16, exp = (bits >>> 10) & 0x1f, mant = bits & 0x3ff;
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		if (exp == 0) {
			if (mant == 0) return Float.intBitsToFloat(sign);
			float v = mant / 1024f / 16384f; // 2^-14 * mant/1024
			return sign == 0 ? v : -v;
		}
		return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
	}

	@Override
	public String toString() {
		return dtype + Arrays.toString(shape);
	}
}
