package io.github.genij.pixelcnn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * PixelCNN++'s forward pass one image row at a time, keeping what the rows above left behind: for sampling, where
 * every new pixel needs the network's output at that pixel only. Fast generation as Ramachandran et al. (2017)
 * describe it, at the granularity of rows.
 * <p>
 * Every output row of every layer depends only on rows at or above it (that is what makes the network causal): a
 * shifted convolution reads its input's row above (kept here once that row is final) and its own row; a stride-2
 * convolution makes coarse row R from fine rows 2R-1 and 2R; an up-sampling makes fine rows 2R and 2R+1 from coarse
 * row R. So the output of fine row r needs, at each resolution, one new row: at 1/2 only when r is even (row r/2),
 * at 1/4 only when r is a multiple of 4; otherwise the coarse outputs of the rows above are final and kept. A pass
 * costs about one row of the full network's work at full resolution, instead of the whole image.
 * <p>
 * Use: {@link #pass} for fine row r as often as pixels of that row change (the output at a pixel is exact for the
 * pixels before it), then, once the row is final, one more pass and {@link #commit} while that pass's arrays are
 * still open. The results are the full network's, computed by the same layers on fewer rows.
 */
final class RowByRow implements PixelSampler.KeptRows {

	/** The rows kept for one shifted convolution: the final input row above, and (first layers) the output row above. */
	private static final class Kept {
		NDArray inputAbove, outputAbove;
		NDArray pendingInput, pendingOutput;
	}

	private final PixelCnnPP net;
	private final NDManager keep;
	/** The convolutions of each resolution (0 full, 1 half, 2 quarter), and what each keeps. */
	private final List<Map<ShiftedConv, Kept>> levels = new ArrayList<>();
	/** The coarser resolutions' down-pass outputs up-sampled to two finer rows ([u, ul], each [N, F, 2, w]). */
	private NDArray[] fromHalf, fromQuarter;
	private NDArray[] pendingFromHalf, pendingFromQuarter;

	RowByRow(PixelCnnPP net, NDManager parent) {
		this.net = net;
		this.keep = parent.newSubManager();
		for (int i = 0; i < 3; i++) levels.add(new IdentityHashMap<>());
	}

	/** The mixture parameters of fine row {@code r}, {@code [N, P, 1, W]}, from the image's row r {@code [N, C, 1, W]} in [-1, 1]. */
	@Override
	public NDArray pass(int r, NDArray row) {
		NDManager m = row.getManager();
		long n = row.getShape().get(0), w = row.getShape().get(3);
		NDArray in = NDArrays.concat(new NDList(row, m.ones(new Shape(n, 1, 1, w), row.getDataType(), row.getDevice())), 1);
		Map<ShiftedConv, Kept> l0 = levels.get(0);

		// full resolution, up pass
		List<NDArray> us0 = new ArrayList<>(), uls0 = new ArrayList<>();
		us0.add(firstLayer(net.uInit, in, l0));
		uls0.add(firstLayer(net.ulInit.items().get(0), in, l0).add(firstLayer(net.ulInit.items().get(1), in, l0)));
		net.upLayers.items().get(0).up(last(us0), last(uls0), us0, uls0, applier(l0));

		// the stride-2 convolutions read this row as the row above the next even row, computed or not now
		record(net.downsizeU.items().get(0), last(us0), l0);
		record(net.downsizeUl.items().get(0), last(uls0), l0);
		NDArray[] half;
		if (r % 2 == 0) half = pendingFromHalf = halfResolution(r / 2, r % 4 == 0, last(us0), last(uls0));
		else half = local(fromHalf, row);
		int within = r % 2; // fine row 2R or 2R+1 of the up-sampled pair

		// full resolution, down pass
		Deque<NDArray> uq = new ArrayDeque<>(us0), ulq = new ArrayDeque<>(uls0);
		NDArray[] both = net.downLayers.items().get(2).down(row(half[0], within), row(half[1], within), uq, ulq, applier(l0));
		return net.ninOut.forward(Activation.elu(both[1], 1f));
	}

	/** Half resolution at coarse row R (its down-pass output up-sampled to fine rows 2R and 2R+1). */
	private NDArray[] halfResolution(int row, boolean quarterToo, NDArray u0, NDArray ul0) {
		Map<ShiftedConv, Kept> l0 = levels.get(0), l1 = levels.get(1);
		List<NDArray> us1 = new ArrayList<>(), uls1 = new ArrayList<>();
		us1.add(strided(net.downsizeU.items().get(0), u0, l0));
		uls1.add(strided(net.downsizeUl.items().get(0), ul0, l0));
		net.upLayers.items().get(1).up(last(us1), last(uls1), us1, uls1, applier(l1));

		record(net.downsizeU.items().get(1), last(us1), l1);
		record(net.downsizeUl.items().get(1), last(uls1), l1);
		NDArray[] quarter;
		if (quarterToo) quarter = pendingFromQuarter = quarterResolution(last(us1), last(uls1));
		else quarter = local(fromQuarter, u0);
		int within = row % 2;

		Deque<NDArray> uq = new ArrayDeque<>(us1), ulq = new ArrayDeque<>(uls1);
		NDArray[] both = net.downLayers.items().get(1).down(row(quarter[0], within), row(quarter[1], within), uq, ulq, applier(l1));
		long w0 = u0.getShape().get(3);
		return new NDArray[] { net.upsizeU.items().get(1).forward(both[0], 2, w0), net.upsizeUl.items().get(1).forward(both[1], 2, w0) };
	}

	/** Quarter resolution at the coarse row under the current half row; up-sampled to two half rows. */
	private NDArray[] quarterResolution(NDArray u1, NDArray ul1) {
		Map<ShiftedConv, Kept> l1 = levels.get(1), l2 = levels.get(2);
		List<NDArray> us2 = new ArrayList<>(), uls2 = new ArrayList<>();
		us2.add(strided(net.downsizeU.items().get(1), u1, l1));
		uls2.add(strided(net.downsizeUl.items().get(1), ul1, l1));
		net.upLayers.items().get(2).up(last(us2), last(uls2), us2, uls2, applier(l2));
		Deque<NDArray> uq = new ArrayDeque<>(us2), ulq = new ArrayDeque<>(uls2);
		NDArray u = uq.removeLast(), ul = ulq.removeLast();
		NDArray[] both = net.downLayers.items().get(0).down(u, ul, uq, ulq, applier(l2));
		long w1 = u1.getShape().get(3);
		return new NDArray[] { net.upsizeU.items().get(0).forward(both[0], 2, w1), net.upsizeUl.items().get(0).forward(both[1], 2, w1) };
	}

	/**
	 * Fine row {@code r} is final (its last {@link #pass} saw its final pixels): its rows become the rows above for
	 * the next row, and so do the coarser rows it completes (half when r is even, quarter when r is a multiple of 4).
	 */
	@Override
	public void commit(int r) {
		promote(levels.get(0));
		if (r % 2 == 0) {
			promote(levels.get(1));
			fromHalf = kept(fromHalf, pendingFromHalf);
		}
		if (r % 4 == 0) {
			promote(levels.get(2));
			fromQuarter = kept(fromQuarter, pendingFromQuarter);
		}
	}

	private void promote(Map<ShiftedConv, Kept> level) {
		for (Kept k : level.values()) {
			k.inputAbove = replace(k.inputAbove, k.pendingInput);
			k.outputAbove = replace(k.outputAbove, k.pendingOutput);
			k.pendingInput = k.pendingOutput = null;
		}
	}

	/** Copies of {@code pending} that live on, in place of {@code old} (freed). */
	private NDArray[] kept(NDArray[] old, NDArray[] pending) {
		if (old != null) for (NDArray a : old) a.close();
		if (pending == null) return null;
		NDArray[] out = new NDArray[pending.length];
		for (int i = 0; i < out.length; i++) out[i] = replace(null, pending[i]);
		return out;
	}

	/** A copy of {@code value} that lives until this is closed (the pass's arrays die with the pass). */
	private NDArray replace(NDArray old, NDArray value) {
		if (old != null) old.close();
		if (value == null) return null;
		NDArray copy = value.duplicate();
		copy.attach(keep);
		return copy;
	}

	/** A stride-1 shifted convolution of one row: the kept input row above (zeros above row 0) and this one. */
	private ShiftedConv.Applier applier(Map<ShiftedConv, Kept> level) {
		return (conv, x) -> {
			Kept k = level.computeIfAbsent(conv, c -> new Kept());
			k.pendingInput = x;
			return conv.convolveRows(withRowAbove(k, x, conv.kernelHeight()));
		};
	}

	/**
	 * The first layers shift their output one row down (row r shows the convolution at row r - 1, which reads rows
	 * above r only) or one column right.
	 */
	private NDArray firstLayer(ShiftedConv conv, NDArray x, Map<ShiftedConv, Kept> level) {
		Kept k = level.computeIfAbsent(conv, c -> new Kept());
		k.pendingInput = x;
		NDArray here = conv.convolveRows(withRowAbove(k, x, conv.kernelHeight()));
		if (conv.shift == ShiftedConv.Shift.DOWN_RIGHT) return ShiftedConv.shiftRight(here);
		k.pendingOutput = here;
		return k.outputAbove != null ? local(k.outputAbove, x) : here.zerosLike();
	}

	/** A stride-2 convolution: coarse row R from fine rows 2R - 1 (kept) and 2R (this one, {@link #record}ed). */
	private NDArray strided(ShiftedConv conv, NDArray fine, Map<ShiftedConv, Kept> fineLevel) {
		return conv.convolveRows(withRowAbove(fineLevel.get(conv), fine, 2));
	}

	/** Notes {@code fine} as the row a stride-2 convolution keeps once the finer row is final. */
	private static void record(ShiftedConv conv, NDArray fine, Map<ShiftedConv, Kept> fineLevel) {
		fineLevel.computeIfAbsent(conv, c -> new Kept()).pendingInput = fine;
	}

	private static NDArray withRowAbove(Kept k, NDArray x, int kernelHeight) {
		if (kernelHeight == 1) return x;
		NDArray above = k.inputAbove != null ? local(k.inputAbove, x) : x.zerosLike();
		return NDArrays.concat(new NDList(above, x), 2);
	}

	/**
	 * A view of a kept array in {@code like}'s manager: what is computed from it then goes with the pass (DJL puts
	 * an op's result in its first operand's manager), and closing the view leaves the kept array alone.
	 */
	private static NDArray local(NDArray kept, NDArray like) {
		NDArray view = kept.reshape(kept.getShape());
		view.attach(like.getManager());
		return view;
	}

	private static NDArray[] local(NDArray[] kept, NDArray like) {
		NDArray[] out = new NDArray[kept.length];
		for (int i = 0; i < out.length; i++) out[i] = local(kept[i], like);
		return out;
	}

	private static NDArray row(NDArray pair, int within) {
		return pair.get(":, :, " + within + ":" + (within + 1) + ", :");
	}

	private static NDArray last(List<NDArray> list) {
		return list.get(list.size() - 1);
	}

	@Override
	public void close() {
		keep.close();
	}
}
