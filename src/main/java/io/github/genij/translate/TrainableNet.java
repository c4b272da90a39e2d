package io.github.genij.translate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.weights.DType;
import io.github.genij.core.weights.WeightTensor;

/**
 * The live parameters of a network being trained, by their reference state-dict names: the trained ones
 * carry gradients, the batch-norm statistics do not. Converts to and from stored weights.
 */
final class TrainableNet implements AutoCloseable {

	private final ReferenceLayout layout;
	private final NDManager manager;
	private final Map<String, NDArray> all = new LinkedHashMap<>(), trained = new LinkedHashMap<>();
	/** Forward passes in training mode: what PyTorch's num_batches_tracked counts. */
	long trainingForwards;

	/** Fresh parameters initialised as the reference's {@code init_weights('normal', 0.02)} does, from {@code seed}. */
	TrainableNet(ReferenceLayout layout, long seed, NDManager parent) {
		this.layout = layout;
		this.manager = parent.newSubManager();
		Random random = new Random(seed);
		for (Map.Entry<String, ReferenceLayout.Param> e : layout.params.entrySet()) {
			ReferenceLayout.Param p = e.getValue();
			if (p.init == ReferenceLayout.Init.COUNT) continue;
			float[] values = new float[(int) elements(p.shape)];
			switch (p.init) {
				case CONV: for (int i = 0; i < values.length; i++) values[i] = (float) (0.02 * random.nextGaussian()); break;
				case NORM_SCALE: for (int i = 0; i < values.length; i++) values[i] = (float) (1 + 0.02 * random.nextGaussian()); break;
				case RUNNING_VAR: Arrays.fill(values, 1f); break;
				default: break; // zeros
			}
			add(e.getKey(), p, manager.create(values, new Shape(p.shape)));
		}
	}

	/** Parameters restored from stored weights (a checkpoint to resume, or a model to train further). */
	TrainableNet(ReferenceLayout layout, Map<String, WeightTensor> weights, NDManager parent) {
		this.layout = layout;
		this.manager = parent.newSubManager();
		for (Map.Entry<String, ReferenceLayout.Param> e : layout.params.entrySet()) {
			ReferenceLayout.Param p = e.getValue();
			WeightTensor w = weights.get(e.getKey());
			if (w == null) {
				manager.close();
				throw new GenIJException("The saved network lacks '" + e.getKey() + "': it was made with other settings.");
			}
			if (p.init == ReferenceLayout.Init.COUNT) {
				trainingForwards = (long) w.toFloats()[0];
				continue;
			}
			if (!Arrays.equals(w.shape(), p.shape)) {
				manager.close();
				throw new GenIJException("The saved network's '" + e.getKey() + "' is " + Arrays.toString(w.shape()) + ", not " +
					Arrays.toString(p.shape) + ": it was made with other settings.");
			}
			add(e.getKey(), p, w.toNDArray(manager));
		}
	}

	private void add(String key, ReferenceLayout.Param p, NDArray a) {
		all.put(key, a);
		if (p.trained()) {
			a.setRequiresGradient(true);
			trained.put(key, a);
		}
	}

	/** Every array the forward pass reads (trained weights and running statistics). */
	Map<String, NDArray> arrays() {
		return all;
	}

	/** The arrays the optimiser updates. */
	Map<String, NDArray> trained() {
		return trained;
	}

	NDManager manager() {
		return manager;
	}

	/** A snapshot as a reference state dict: float32 tensors plus int64 {@code num_batches_tracked}. */
	Map<String, WeightTensor> toWeights() {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		for (Map.Entry<String, ReferenceLayout.Param> e : layout.params.entrySet()) {
			if (e.getValue().init == ReferenceLayout.Init.COUNT) {
				byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(trainingForwards).array();
				out.put(e.getKey(), new WeightTensor(DType.I64, new long[0], b));
			}
			else out.put(e.getKey(), WeightTensor.of(all.get(e.getKey())));
		}
		return out;
	}

	private static long elements(long[] shape) {
		long n = 1;
		for (long s : shape) n *= s;
		return n;
	}

	@Override
	public void close() {
		manager.close();
	}
}
