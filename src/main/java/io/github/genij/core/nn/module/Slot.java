package io.github.genij.core.nn.module;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.tensor.Placement;

/**
 * One named tensor of a module, as PyTorch's state dict holds it: a learned parameter, a buffer the
 * forward pass keeps (batch norm's running statistics) or a step counter ({@code num_batches_tracked},
 * int64). Its value is set when the network is loaded or initialised; until then only its shape is known.
 */
public final class Slot {

	/** What kind of tensor: PyTorch's parameters() lists only PARAMETER. */
	public enum Kind { PARAMETER, BUFFER, COUNTER }

	public final String name;
	public final Kind kind;
	final long[] shape;
	Init init;
	NDArray value;
	/** For counters: the count, kept in Java (PyTorch's num_batches_tracked). */
	long count;

	Slot(String name, Kind kind, Init init, long... shape) {
		this.name = name;
		this.kind = kind;
		this.init = init;
		this.shape = shape.clone();
	}

	/** Sets how training initialises this tensor. */
	public Slot initWith(Init how) {
		this.init = how;
		return this;
	}

	public long[] shape() {
		return shape.clone();
	}

	public long elements() {
		long n = 1;
		for (long s : shape) n *= s;
		return n;
	}

	/** The value (loaded or initialised); an error names the slot when the network was never given weights. */
	public NDArray value() {
		if (value == null) throw new IllegalStateException("'" + name + "' has no value: load or initialise the network first");
		return value;
	}

	/**
	 * The value on {@code like}'s device: the weights were put there once at load, so this is no copy.
	 * An input of another precision (float64, for exact comparisons) gets a converted view in its manager.
	 */
	public NDArray on(NDArray like) {
		NDArray v = value();
		if (v.getDataType() != like.getDataType()) return local(like).toType(like.getDataType(), false);
		return Placement.on(v, like);
	}

	/**
	 * A view of the value in {@code like}'s manager: what is computed from it is then freed with the
	 * activations, not kept with the weights until they close. An input of another precision gets a
	 * converted copy.
	 */
	public NDArray local(NDArray like) {
		NDArray v = value();
		NDArray view = v.getDevice().equals(like.getDevice()) ? v.reshape(v.getShape()) : v.toDevice(like.getDevice(), true);
		view.attach(like.getManager());
		return view.getDataType() == like.getDataType() ? view : view.toType(like.getDataType(), false);
	}

	public boolean trained() {
		return kind == Kind.PARAMETER;
	}

	@Override
	public String toString() {
		return name + " " + kind.name().toLowerCase() + " " + Arrays.toString(shape);
	}
}
