package io.github.genij.core.family;

import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.nn.module.Trace;
import io.github.genij.core.weights.ArchitectureDetector;
import io.github.genij.core.weights.ArchitectureDetector.Detection;
import io.github.genij.core.weights.ImportRewrites;
import io.github.genij.core.weights.ModelCard;
import io.github.genij.core.weights.ModelStore;
import io.github.genij.core.weights.WeightTensor;

/**
 * What {@code Model Info} tells about a model of any family, all read off its module tree: architecture,
 * learned parameters as PyTorch counts them (running statistics apart), receptive field, size multiple
 * and the halo the tiler uses, and, from one traced forward pass at a given size, multiply-adds and the
 * most memory layer outputs hold at once.
 */
public final class ModelSummary {

	/** The window size the tilers start from by default (Translate's tilesize). */
	public static final int DEFAULT_WINDOW = 1024;

	public String family, architecture;
	public Map<String, Object> parameters;
	public long learned, buffers;
	public int tensors;
	public ReceptiveField field;
	public long width, height, multiplyAdds, peakActivationBytes;
	public int inputChannels;
	public long[] outputShape;
	/** Whether the network maps an image to an image (a generator from latents has no field or tiles). */
	public boolean imageToImage;

	/**
	 * Summarises an installed model or a checkpoint file ({@code model}), tracing a forward pass on a
	 * {@code width} x {@code height} image (rounded up to the size multiple).
	 */
	public static ModelSummary of(String model, int width, int height, NDManager manager) {
		if (width < 1 || height < 1) throw new GenIJException("width and height must be at least 1 (got " + width + " x " + height + ").");
		ModelStore.Installed installed = ModelStore.defaultStore().resolve(model, "model");
		ModelSummary s = new ModelSummary();
		Map<String, WeightTensor> weights = installed.weights;
		ModelCard card = installed.card;
		if (card != null && !"unknown".equals(card.family)) {
			s.family = card.family;
			s.architecture = card.architecture;
			s.parameters = card.parameters;
		}
		else {
			Detection d = ArchitectureDetector.detect(ImportRewrites.stripPrefix(weights, "module."));
			if (d == null) throw new GenIJException(model + ": no model family recognises these weights' keys.");
			s.family = d.family;
			s.architecture = d.architecture;
			s.parameters = d.parameters;
		}
		try (Module net = Families.named(s.family).build(s.architecture, s.parameters)) {
			net.load(weights, manager, model);
			net.train(false);
			s.describe(net, width, height, manager);
		}
		return s;
	}

	private void describe(Module net, int w, int h, NDManager manager) {
		learned = net.parameterCount();
		buffers = net.bufferCount();
		tensors = net.slots().size();
		field = ReceptiveField.of(net);
		int multiple = field.multiple;
		width = (w + multiple - 1) / multiple * multiple;
		height = (h + multiple - 1) / multiple * multiple;
		imageToImage = net instanceof Layer;
		if (!imageToImage) return;
		Conv first = net.modulesOf(Conv.class).isEmpty() ? null : net.modulesOf(Conv.class).get(0);
		if (first == null) return;
		inputChannels = first.in;
		try (NoGrad g = NoGrad.enter(); NDManager run = manager.newSubManager(); Trace trace = Trace.open()) {
			NDArray x = run.zeros(new Shape(1, inputChannels, height, width));
			trace.input(x);
			NDArray y = ((Layer) net).forward(x);
			outputShape = y.getShape().getShape();
			multiplyAdds = trace.calls().stream().mapToLong(c -> c.multiplyAdds).sum();
			peakActivationBytes = trace.peakActivationBytes();
		}
	}

	/** One fact per line, {@code name: value}. */
	public String toText() {
		StringBuilder t = new StringBuilder();
		t.append("family: ").append(family).append('\n');
		t.append("architecture: ").append(architecture).append(' ').append(parameters).append('\n');
		t.append("learned parameters: ").append(learned).append(" (as PyTorch's parameters() counts them)\n");
		t.append("running statistics and counters: ").append(buffers).append(" values\n");
		t.append("tensors: ").append(tensors).append('\n');
		if (!imageToImage) return t.toString();
		t.append("receptive field: ").append(field.size).append(" px\n");
		t.append("size multiple: ").append(field.multiple).append('\n');
		t.append("smallest side: ").append(field.minimumSide).append(" px (smaller images are padded to it)\n");
		t.append(String.format(Locale.ROOT, "tile halo: %d px with %d-px windows%s%n", field.halo(DEFAULT_WINDOW), DEFAULT_WINDOW,
			field.haloCoversField(DEFAULT_WINDOW) ? " (covers the receptive field: tiles equal the whole image)"
				: " (less than the receptive field's radius " + field.radius() + ": tiles approximate the whole image)"));
		if (outputShape != null) {
			t.append("traced at: ").append(width).append(" x ").append(height).append(" px, ").append(inputChannels)
				.append(" channel(s) in\n");
			t.append("output: ").append(java.util.Arrays.toString(outputShape)).append('\n');
			t.append(String.format(Locale.ROOT, "multiply-adds: %d (%.2f G)%n", multiplyAdds, multiplyAdds / 1e9));
			t.append(String.format(Locale.ROOT, "peak activation memory: %.1f MB (layer outputs alive at once, float32)%n",
				peakActivationBytes / 1e6));
		}
		return t.toString();
	}

}
