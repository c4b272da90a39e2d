package io.github.genij.core.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.genij.core.weights.PickleValues.Tuple;

/**
 * A network of NVIDIA's TensorFlow era as its pickles hold it ({@code dnnlib.tflib.network.Network}: a name,
 * static keyword arguments, sub-networks, and variables as (name, numpy array) pairs), read as data: the
 * TensorFlow code it names is never needed or run.
 */
public final class TfNetwork implements PickleReader.Buildable {

	public String name = "";
	public int version;
	public final Map<String, Object> staticKwargs = new LinkedHashMap<>();
	public final Map<String, TfNetwork> components = new LinkedHashMap<>();
	/** This network's own variables by their names ({@code Dense0/weight}), as tensors. */
	public final Map<String, WeightTensor> variables = new LinkedHashMap<>();
	/**
	 * A Theano-era network (ProGAN's first releases): its {@code build_func_spec} and its {@code param_values} in their
	 * order, left for the family to name (as NVIDIA's legacy.py does); empty otherwise.
	 */
	public final Map<String, Object> legacySpec = new LinkedHashMap<>();
	public final java.util.List<WeightTensor> legacyParams = new java.util.ArrayList<>();

	@Override
	public void setState(Object state) {
		if (!(state instanceof Map)) throw new CheckpointException("a TensorFlow network without its state");
		Map<?, ?> s = (Map<?, ?>) state;
		if (s.get("name") instanceof String) name = (String) s.get("name");
		if (s.get("version") instanceof Long) version = ((Long) s.get("version")).intValue();
		if (s.get("static_kwargs") instanceof Map)
			((Map<?, ?>) s.get("static_kwargs")).forEach((k, v) -> staticKwargs.put(String.valueOf(k), v));
		if (s.get("components") instanceof Map) {
			((Map<?, ?>) s.get("components")).forEach((k, v) -> {
				if (v instanceof TfNetwork) components.put(String.valueOf(k), (TfNetwork) v);
			});
		}
		if (s.get("build_func_spec") instanceof Map && s.get("param_values") != null) {
			((Map<?, ?>) s.get("build_func_spec")).forEach((k, v) -> legacySpec.put(String.valueOf(k), v));
			Object values = s.get("param_values");
			List<?> params = values instanceof List ? (List<?>) values : values instanceof Tuple ? ((Tuple) values).items : List.of();
			for (Object p : params) {
				if (!(p instanceof NumpyValues.NdArray)) throw new CheckpointException("a Theano-era network parameter that is not an array");
				legacyParams.add(((NumpyValues.NdArray) p).tensor());
			}
			return;
		}
		Object vars = s.get("variables");
		List<?> list = vars instanceof List ? (List<?>) vars : vars instanceof Tuple ? ((Tuple) vars).items : List.of();
		for (Object item : list) {
			List<?> pair = item instanceof Tuple ? ((Tuple) item).items : item instanceof List ? (List<?>) item : null;
			if (pair == null || pair.size() != 2 || !(pair.get(0) instanceof String) || !(pair.get(1) instanceof NumpyValues.NdArray))
				throw new CheckpointException("a TensorFlow network variable that is not (name, array)");
			variables.put((String) pair.get(0), ((NumpyValues.NdArray) pair.get(1)).tensor());
		}
	}

	/** Every variable of this network and its components, named by path ({@code synthesis/4x4/Conv/weight}). */
	public Map<String, WeightTensor> allVariables() {
		Map<String, WeightTensor> out = new LinkedHashMap<>();
		collect("", out);
		return out;
	}

	private void collect(String prefix, Map<String, WeightTensor> out) {
		variables.forEach((k, v) -> out.put(prefix + k, v));
		components.forEach((k, c) -> c.collect(prefix + k + "/", out));
	}
}
