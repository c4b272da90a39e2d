package io.github.genij.core.nn.module;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.Scoped;
import io.github.genij.core.weights.CheckpointException;
import io.github.genij.core.weights.DType;
import io.github.genij.core.weights.ImportReport;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.WeightTensor;

/**
 * A network, or a part of one, declared the way PyTorch declares it: a tree of named modules, each with
 * its own named tensors ({@link Slot}s). A tensor's path in the tree is its key in the reference's state
 * dict ({@code model.model.1.model.2.running_mean}), so one declaration serves loading a reference
 * checkpoint, inference, training from a fresh initialisation, and saving in the reference's layout.
 * <p>
 * A family declares its network in its constructor with {@link #add}, {@link #parameter} and
 * {@link #buffer}, and writes the forward pass as plain Java over its children. Weights live in one
 * manager owned by the root, on the device of the manager they were loaded into; {@link #close()} frees
 * them.
 */
public abstract class Module implements AutoCloseable {

	private final Map<String, Module> children = new LinkedHashMap<>();
	private final Map<String, Slot> own = new LinkedHashMap<>();
	private Module parent;
	private String name = "";
	private boolean training;
	/** Root only: where loaded or initialised values live. */
	private NDManager weights;

	// ---- declaring ---------------------------------------------------------------------------------

	/** Adds a child under {@code name} (a state-dict path segment: {@code "model"}, {@code "3"}). */
	protected final <M extends Module> M add(String name, M child) {
		Module c = child;
		if (children.containsKey(name) || own.containsKey(name)) throw new IllegalArgumentException("'" + name + "' is taken in " + path());
		if (c.parent != null) throw new IllegalArgumentException("module is already part of " + c.parent.path());
		c.parent = this;
		c.name = name;
		children.put(name, c);
		return child;
	}

	protected final Slot parameter(String name, Init init, long... shape) {
		return slot(new Slot(name, Slot.Kind.PARAMETER, init, shape));
	}

	protected final Slot buffer(String name, Init init, long... shape) {
		return slot(new Slot(name, Slot.Kind.BUFFER, init, shape));
	}

	/** An int64 step counter such as batch norm's {@code num_batches_tracked}. */
	protected final Slot counter(String name) {
		return slot(new Slot(name, Slot.Kind.COUNTER, Init.zeros()));
	}

	private Slot slot(Slot s) {
		if (children.containsKey(s.name) || own.containsKey(s.name)) throw new IllegalArgumentException("'" + s.name + "' is taken in " + path());
		own.put(s.name, s);
		return s;
	}

	// ---- the tree ----------------------------------------------------------------------------------

	/** This module's path from the root, as the state dict spells it ({@code ""} for the root). */
	public final String path() {
		if (parent == null) return "";
		String p = parent.path();
		return p.isEmpty() ? name : p + "." + name;
	}

	public final Map<String, Module> children() {
		return Collections.unmodifiableMap(children);
	}

	/** Every module of the tree by path, parents before children, in declaration order. */
	public final Map<String, Module> modules() {
		Map<String, Module> all = new LinkedHashMap<>();
		collect(this, "", all);
		return all;
	}

	private static void collect(Module m, String prefix, Map<String, Module> all) {
		all.put(prefix, m);
		m.children.forEach((n, c) -> collect(c, prefix.isEmpty() ? n : prefix + "." + n, all));
	}

	/** The modules of a kind, in forward-declaration order. */
	public final <T> List<T> modulesOf(Class<T> type) {
		List<T> out = new ArrayList<>();
		for (Module m : modules().values())
			if (type.isInstance(m)) out.add(type.cast(m));
		return out;
	}

	/** Every tensor by its state-dict key, in PyTorch's order (a module's parameters, its buffers, then its children). */
	public final Map<String, Slot> slots() {
		Map<String, Slot> all = new LinkedHashMap<>();
		for (Map.Entry<String, Module> e : modules().entrySet()) {
			String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
			for (Slot s : e.getValue().own.values())
				if (s.kind == Slot.Kind.PARAMETER) all.put(prefix + s.name, s);
			for (Slot s : e.getValue().own.values())
				if (s.kind != Slot.Kind.PARAMETER) all.put(prefix + s.name, s);
		}
		return all;
	}

	/** The learned parameters (what PyTorch's {@code parameters()} lists). */
	public final Map<String, Slot> parameters() {
		Map<String, Slot> p = new LinkedHashMap<>();
		slots().forEach((k, s) -> {
			if (s.trained()) p.put(k, s);
		});
		return p;
	}

	/** How many learned values the network has, as PyTorch counts {@code sum(p.numel() for p in parameters())}. */
	public final long parameterCount() {
		return parameters().values().stream().mapToLong(Slot::elements).sum();
	}

	/** Values of buffers and counters (running statistics): kept, not learned. */
	public final long bufferCount() {
		return slots().values().stream().filter(s -> !s.trained()).mapToLong(Slot::elements).sum();
	}

	/** What this layer does to the image grid (null: nothing, or it is no layer). See {@link ReceptiveField}. */
	protected Spatial spatial() {
		return null;
	}

	// ---- modes -------------------------------------------------------------------------------------

	/** PyTorch's {@code train()} / {@code eval()}: sets the mode of the whole subtree. */
	public final Module train(boolean on) {
		for (Module m : modules().values()) m.training = on;
		return this;
	}

	public final boolean isTraining() {
		return training;
	}

	/**
	 * {@code f(x)}; in inference with its intermediate arrays freed when it returns (DJL keeps every op's
	 * result until its manager closes). Training keeps them: autograd needs them.
	 */
	protected final NDArray step(NDArray x, UnaryOperator<NDArray> f) {
		return training ? f.apply(x) : Scoped.apply(x, f);
	}

	/** {@link #step}, then frees {@code x} in inference, for a caller that no longer needs it. */
	protected final NDArray stepAndFree(NDArray x, UnaryOperator<NDArray> f) {
		NDArray y = step(x, f);
		if (!training && y != x) x.close(); // an in-place step returns its input
		return y;
	}

	// ---- weights -----------------------------------------------------------------------------------

	/** The key and shape of every tensor the network expects. */
	public final Map<String, long[]> expectedShapes() {
		Map<String, long[]> e = new LinkedHashMap<>();
		slots().forEach((k, s) -> e.put(k, s.shape));
		return e;
	}

	/**
	 * Loads a state dict: applies the import rewrites (DataParallel's {@code module.} prefix, spectral and
	 * weight norm folded, running statistics that the reference's instance norms ignore), checks every key
	 * and shape, and puts each tensor on {@code parent}'s device once.
	 *
	 * @return the report (unexpected keys are listed there and ignored)
	 * @throws CheckpointException naming the missing and mis-shaped keys when the weights do not fit
	 */
	public final ImportReport load(Map<String, WeightTensor> stateDict, NDManager parent, String what) {
		Map<String, WeightTensor> sd = rewritten(stateDict);
		ImportReport report = ImportReport.compare(expectedShapes(), sd);
		report.requireFit(what);
		NDManager m = replaceWeights(parent);
		slots().forEach((key, s) -> {
			WeightTensor w = sd.get(key);
			if (s.kind == Slot.Kind.COUNTER) s.count = counterValue(w);
			else s.value = w.toNDArray(m);
		});
		for (Module mod : modules().values()) mod.weightsChanged();
		return report;
	}

	/** The import rewrites every family's checkpoints may need, then the ones this tree's modules ask for. */
	private Map<String, WeightTensor> rewritten(Map<String, WeightTensor> stateDict) {
		Map<String, WeightTensor> sd = ImportRewrites.stripPrefix(stateDict, "module.");
		// weight and spectral norm are folded, except where this network keeps them (a network declared for training)
		java.util.Set<String> kept = new java.util.HashSet<>();
		for (String k : slots().keySet()) if (k.endsWith("weight_g") || k.endsWith("weight_orig")) kept.add(k);
		sd = ImportRewrites.foldWeightNorm(ImportRewrites.foldSpectralNorm(sd, kept), kept);
		for (Map.Entry<String, Module> e : modules().entrySet()) sd = e.getValue().rewrite(e.getKey(), sd);
		return sd;
	}

	/**
	 * {@code net} with {@code stateDict} loaded ({@link #load}) and in inference mode; closed, and the
	 * error passed on, when the weights do not fit.
	 */
	public static <M extends Module> M loaded(M net, Map<String, WeightTensor> stateDict, NDManager parent, String what) {
		try {
			net.load(stateDict, parent, what);
		}
		catch (RuntimeException e) {
			net.close();
			throw e;
		}
		net.train(false);
		return net;
	}

	/** A module's own import rewrite of the keys under {@code path} (instance norms drop stale statistics). */
	protected Map<String, WeightTensor> rewrite(String path, Map<String, WeightTensor> sd) {
		return sd;
	}

	/** Called after new values were loaded or initialised (modules that prepare derived tensors redo them). */
	protected void weightsChanged() {}

	/**
	 * Fresh values as the reference initialises them, drawn from {@code seed} in state-dict order, in a
	 * manager of {@code parent}; learned parameters then record gradients.
	 */
	public final void initialise(long seed, NDManager parent) {
		NDManager m = replaceWeights(parent);
		Random random = new Random(seed);
		for (Slot s : slots().values()) {
			if (s.kind == Slot.Kind.COUNTER) {
				s.count = 0;
				continue;
			}
			float[] v = new float[(int) s.elements()];
			s.init.fill(v, s.shape, random);
			s.value = m.create(v, new Shape(s.shape));
		}
		for (Module mod : modules().values()) mod.afterInitialise();
		for (Module mod : modules().values()) mod.weightsChanged();
	}

	/** After {@link #initialise}: for values that follow from others (weight norm's g = ||v||). */
	protected void afterInitialise() {}

	/** The learned arrays by key, recording gradients: what an optimiser updates. */
	public final Map<String, NDArray> trainableArrays() {
		Map<String, NDArray> out = new LinkedHashMap<>();
		parameters().forEach((k, s) -> {
			NDArray v = s.value();
			if (!v.hasGradient()) v.setRequiresGradient(true);
			out.put(k, v);
		});
		return out;
	}

	/**
	 * Converts every value to {@code type} in place (float64 for gradient checks against a float64 oracle). A float32
	 * weight converted on the fly as a float64 input meets it ({@link Slot#local}) does not pass gradients back:
	 * DJL's {@code toType} leaves the autograd graph. Call before {@link #trainableArrays}.
	 */
	public final void convertTo(ai.djl.ndarray.types.DataType type) {
		if (parent != null) throw new IllegalStateException("convert the whole network, not " + path());
		for (Slot s : slots().values()) {
			if (s.kind == Slot.Kind.COUNTER || s.value().getDataType() == type) continue;
			NDArray old = s.value;
			s.value = old.toType(type, true);
			s.value.attach(weights);
			old.close();
		}
		for (Module mod : modules().values()) mod.weightsChanged();
	}

	/** A snapshot in the reference's state-dict layout: float32 tensors, int64 counters. */
	public final Map<String, WeightTensor> stateDict() {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		slots().forEach((k, s) -> {
			if (s.kind == Slot.Kind.COUNTER) {
				byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.count).array();
				out.put(k, new WeightTensor(DType.I64, new long[0], b));
			}
			else out.put(k, WeightTensor.of(s.value()));
		});
		return out;
	}

	private NDManager replaceWeights(NDManager parent) {
		if (this.parent != null) throw new IllegalStateException("load or initialise the whole network, not " + path());
		if (weights != null) weights.close();
		weights = parent.newSubManager();
		return weights;
	}

	private static long counterValue(WeightTensor w) {
		if (w.dtype == DType.I64 && w.elements() == 1)
			return ByteBuffer.wrap(w.bytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
		return (long) w.toFloats()[0];
	}

	/** Frees the weights (root) ; a part of a network is freed with its root. */
	@Override
	public void close() {
		if (weights != null) {
			weights.close();
			weights = null;
			for (Slot s : slots().values()) s.value = null;
		}
	}
}
