package io.github.genij.core.weights;

import java.util.Locale;

/** Element types of stored tensors, with PyTorch's storage names and safetensors' codes. */
public enum DType {
	F32(4, "FloatStorage", "F32"),
	F16(2, "HalfStorage", "F16"),
	BF16(2, "BFloat16Storage", "BF16"),
	F64(8, "DoubleStorage", "F64"),
	I64(8, "LongStorage", "I64"),
	I32(4, "IntStorage", "I32"),
	I16(2, "ShortStorage", "I16"),
	I8(1, "CharStorage", "I8"),
	U8(1, "ByteStorage", "U8"),
	BOOL(1, "BoolStorage", "BOOL");

	public final int bytes;
	final String torchStorage;
	public final String safetensors;

	DType(int bytes, String torchStorage, String safetensors) {
		this.bytes = bytes;
		this.torchStorage = torchStorage;
		this.safetensors = safetensors;
	}

	/** The type of a {@code torch.<Name>Storage} class, or null. */
	static DType ofTorchStorage(String name) {
		for (DType t : values())
			if (t.torchStorage.equals(name)) return t;
		return null;
	}

	/** The type of a safetensors dtype code, or null. */
	public static DType ofSafetensors(String code) {
		for (DType t : values())
			if (t.safetensors.equals(code.toUpperCase(Locale.ROOT))) return t;
		return null;
	}
}
