package io.github.genij.core.nn.module;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.engine.NoGrad;

/**
 * A layer with a {@code weight} and an optional {@code bias} (convolution, transposed convolution,
 * linear): declares them in that order, with PyTorch's default initialisation unless told otherwise.
 * <p>
 * With weight norm ({@code torch.nn.utils.weight_norm}, dim 0) the weight is not stored but computed as
 * {@code g * v / ||v||}, the norm over all axes but the first; the tensors are then {@code bias},
 * {@code weight_g} and {@code weight_v} in PyTorch's order, and training moves g and v. Checkpoints with
 * weight norm also load into the plain form: the import folds them (see {@link Module#load}).
 * <p>
 * With spectral norm ({@code torch.nn.utils.spectral_norm}, dim 0, one power iteration) the weight is
 * {@code weight_orig / sigma}, {@code sigma = u . (W v)} with W flattened to {@code [out, rest]}; the tensors
 * are {@code bias}, {@code weight_orig} and the buffers {@code weight_u}, {@code weight_v}. In training every
 * forward pass first moves u and v one power iteration on (outside autograd, as PyTorch's hook does); in
 * inference the stored vectors are used as they are, which is what folding them at import computes.
 */
public abstract class WeightAndBias extends Module implements Layer {

	/** How the weight is kept. */
	public enum Storage { PLAIN, WEIGHT_NORM, SPECTRAL_NORM }

	/** PyTorch's {@code eps} of spectral norm's normalisation: {@code x / max(||x||, eps)}. */
	static final float SPECTRAL_EPS = 1e-12f;

	/** The stored weight; null with weight norm or spectral norm. */
	protected final Slot weight;
	protected final Slot bias;
	/** Weight norm's magnitude and direction; null without it. */
	private final Slot weightG, weightV;
	/** Spectral norm's unnormalised weight and its singular vectors; null without it. */
	private final Slot weightOrig, spectralU, spectralV;

	/** @param fanIn inputs per output, for PyTorch's default initialisation of both tensors */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs) {
		this(fanIn, hasBias, weightShape, outputs, false);
	}

	/** @param weightNorm store the weight as weight norm's g and v */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs, boolean weightNorm) {
		this(fanIn, hasBias, weightShape, outputs, weightNorm ? Storage.WEIGHT_NORM : Storage.PLAIN);
	}

	/** @param storage how the weight is kept (and named in the state dict) */
	protected WeightAndBias(long fanIn, boolean hasBias, long[] weightShape, long outputs, Storage storage) {
		Init defaultInit = Init.uniformFanIn(fanIn);
		if (storage == Storage.PLAIN) {
			weight = parameter("weight", defaultInit, weightShape);
			bias = hasBias ? parameter("bias", defaultInit, outputs) : null;
			weightG = weightV = weightOrig = spectralU = spectralV = null;
			return;
		}
		weight = null;
		// the order PyTorch's state dict has once the hook re-registered the weight: bias first
		bias = hasBias ? parameter("bias", defaultInit, outputs) : null;
		if (storage == Storage.SPECTRAL_NORM) {
			weightG = weightV = null;
			weightOrig = parameter("weight_orig", defaultInit, weightShape);
			spectralU = buffer("weight_u", Init.normal(0, 1), weightShape[0]); // normalised in afterInitialise, as PyTorch does
			spectralV = buffer("weight_v", Init.normal(0, 1), fanIn);
			return;
		}
		weightOrig = spectralU = spectralV = null;
		long[] gShape = new long[weightShape.length];
		java.util.Arrays.fill(gShape, 1);
		gShape[0] = weightShape[0];
		weightG = parameter("weight_g", Init.ones(), gShape); // set to ||v|| once v is drawn, as weight_norm does
		weightV = parameter("weight_v", defaultInit, weightShape);
	}

	public final boolean hasWeightNorm() {
		return weightV != null;
	}

	public final boolean hasSpectralNorm() {
		return weightOrig != null;
	}

	/** Sets how training initialises the weight (v with weight norm) and the bias (PyTorch's default otherwise). */
	public WeightAndBias init(Init weightInit, Init biasInit) {
		(weight != null ? weight : weightOrig != null ? weightOrig : weightV).initWith(weightInit);
		if (bias != null) bias.initWith(biasInit);
		return this;
	}

	/** The weight in {@code like}'s manager (and precision): the stored one, {@code g * v / ||v||}, or {@code W / sigma}. */
	protected final NDArray weightFor(NDArray like) {
		if (weight != null) return weight.local(like);
		if (weightOrig != null) return spectralWeight(like);
		NDArray v = weightV.local(like);
		return weightG.local(like).mul(v.div(rowNorms(v)));
	}

	private static NDArray rowNorms(NDArray v) {
		int[] axes = new int[v.getShape().dimension() - 1];
		for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
		return v.square().sum(axes, true).sqrt();
	}

	/** {@code weight_orig / (u . W v)}, differentiable in weight_orig, after one power iteration in training. */
	private NDArray spectralWeight(NDArray like) {
		if (isTraining()) powerIteration();
		NDArray w = weightOrig.local(like);
		long rows = w.getShape().get(0);
		NDArray sigma = spectralU.local(like).reshape(1, rows).matMul(w.reshape(rows, -1)).matMul(spectralV.local(like).reshape(-1, 1));
		return w.div(sigma.reshape(new Shape()));
	}

	/** PyTorch's update of u and v: {@code v = normalize(W^T u)}, {@code u = normalize(W v)}, without gradients. */
	private void powerIteration() {
		NDArray w = weightOrig.value();
		long rows = w.getShape().get(0);
		try (NoGrad g = NoGrad.enter(); NDManager tmp = w.getManager().newSubManager()) {
			NDArray matrix = w.stopGradient(), u = spectralU.value().reshape(-1, 1);
			matrix.attach(tmp); // what follows from these lives in tmp, except the two vectors kept
			u.attach(tmp);
			matrix = matrix.reshape(rows, -1);
			NDArray v = normalized(matrix.transpose().matMul(u));
			NDArray uNew = normalized(matrix.matMul(v));
			replace(spectralV, v.reshape(-1));
			replace(spectralU, uNew.reshape(-1));
		}
	}

	private static NDArray normalized(NDArray x) {
		return x.div(x.norm().maximum(SPECTRAL_EPS));
	}

	/** Puts {@code fresh} in the slot, in the weights' manager, in place of the old value. */
	private static void replace(Slot slot, NDArray fresh) {
		NDArray old = slot.value();
		fresh.attach(old.getManager());
		slot.value = fresh;
		old.close();
	}

	@Override
	protected void afterInitialise() {
		if (spectralU != null) {
			replace(spectralU, normalized(spectralU.value()));
			replace(spectralV, normalized(spectralV.value()));
			return;
		}
		if (weightV == null) return;
		// weight_norm starts with g = ||v||, so the layer begins as the plain layer with weight v
		NDArray v = weightV.value();
		NDArray norms = rowNorms(v);
		weightG.value().close();
		weightG.value = norms.reshape(new Shape(weightG.shape()));
	}
}
