package io.github.genij.core.nn.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * A record of one forward pass, layer by layer, for {@code Model Info}: each layer's input and output
 * shapes and multiply-adds, and the most memory layer outputs held at once. Layers report
 * into the trace open on their thread; with none open, reporting costs nothing.
 */
public final class Trace implements AutoCloseable {

	/** One layer call. */
	public static final class Call {
		public final String path, type;
		public final long[] input, output;
		public final long multiplyAdds;

		Call(String path, String type, long[] input, long[] output, long multiplyAdds) {
			this.path = path;
			this.type = type;
			this.input = input;
			this.output = output;
			this.multiplyAdds = multiplyAdds;
		}
	}

	private static final ThreadLocal<Trace> OPEN = new ThreadLocal<>();

	private final List<Call> calls = new ArrayList<>();
	private final List<NDArray> outputs = new ArrayList<>();
	private long peakBytes;

	private Trace() {}

	/** Starts recording on this thread; close to stop. */
	public static Trace open() {
		Trace t = new Trace();
		OPEN.set(t);
		return t;
	}

	public List<Call> calls() {
		return Collections.unmodifiableList(calls);
	}

	/** The most bytes that layer outputs (and the input) held at one time during the pass. */
	public long peakActivationBytes() {
		return peakBytes;
	}

	/** Counts an input that stays alive through the pass (the network's input). */
	public void input(NDArray x) {
		outputs.add(x);
	}

	static boolean active() {
		return OPEN.get() != null;
	}

	/** Called by layers after computing {@code y} from {@code x}. */
	static void record(Module layer, NDArray x, NDArray y, long multiplyAdds) {
		Trace t = OPEN.get();
		if (t == null) return;
		t.calls.add(new Call(layer.path(), layer.getClass().getSimpleName(), x.getShape().getShape(), y.getShape().getShape(),
			multiplyAdds));
		t.outputs.add(y);
		long live = 0;
		for (NDArray a : t.outputs)
			if (!a.isReleased()) live += a.size() * a.getDataType().getNumOfBytes();
		t.peakBytes = Math.max(t.peakBytes, live);
	}

	@Override
	public void close() {
		OPEN.remove();
	}
}
