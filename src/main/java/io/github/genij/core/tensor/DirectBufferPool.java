package io.github.genij.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reuses direct byte buffers between image-to-tensor conversions.
 * <p>
 * DJL's PyTorch engine aliases a direct buffer instead of copying it, which makes a conversion as fast
 * as a memory copy; but a fresh direct buffer costs tens of milliseconds per 64 MB and is freed only
 * by the garbage collector. A buffer is leased for as long as the tensor made from it lives and then
 * given back. The pool keeps at most {@link #MAX_KEPT} buffers and {@link #MAX_KEPT_BYTES} bytes.
 */
public final class DirectBufferPool {

	static final int MAX_KEPT = 4;
	static final long MAX_KEPT_BYTES = 1L << 30;

	private static final DirectBufferPool SHARED = new DirectBufferPool();

	private final List<ByteBuffer> free = new ArrayList<>();

	public static DirectBufferPool shared() {
		return SHARED;
	}

	/** A native-order direct buffer with position 0 and limit {@code bytes}; its content is undefined. */
	public synchronized ByteBuffer lease(int bytes) {
		ByteBuffer best = null;
		for (ByteBuffer b : free)
			if (b.capacity() >= bytes && (best == null || b.capacity() < best.capacity())) best = b;
		if (best != null) free.remove(best);
		else best = ByteBuffer.allocateDirect(bytes);
		best.clear().limit(bytes);
		return best.order(ByteOrder.nativeOrder());
	}

	/** Gives a leased buffer back; it must no longer back any live tensor. */
	public synchronized void giveBack(ByteBuffer buffer) {
		if (!buffer.isDirect()) return;
		for (ByteBuffer b : free)
			if (b == buffer) return;
		free.add(buffer);
		// Keep the largest buffers: small ones are cheap to make again.
		free.sort((a, b) -> Integer.compare(b.capacity(), a.capacity()));
		while (free.size() > MAX_KEPT || keptBytes() > MAX_KEPT_BYTES) free.remove(free.size() - 1);
	}

	/** Forgets every kept buffer (tests start from an empty pool). */
	synchronized void clear() {
		free.clear();
	}

	synchronized int keptCount() {
		return free.size();
	}

	private long keptBytes() {
		long n = 0;
		for (ByteBuffer b : free) n += b.capacity();
		return n;
	}
}
