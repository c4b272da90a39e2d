package io.github.genij.stylegan;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import io.github.genij.core.GenIJException;

/**
 * NVIDIA's LPIPS feature network for the StyleGAN metrics and projector: {@code vgg16.pt}, a TorchScript file
 * (NVIDIA's metrics download it; people bring their own copy), run by the same libtorch through DJL. It is called as
 * NVIDIA calls it, {@code vgg16(img, resize_images=False, return_lpips=True)} with images in 0..255, and returns a
 * feature vector per image whose squared distance is the LPIPS distance. TorchScript is a restricted language run
 * by libtorch's interpreter, not Python: loading it runs no Python code.
 */
final class LpipsFeatures implements ImageFeatures {

	private final Model model;
	private final PtSymbolBlock block;

	private LpipsFeatures(Model model) {
		this.model = model;
		if (!(model.getBlock() instanceof PtSymbolBlock)) throw new GenIJException("The features file is not a TorchScript module.");
		this.block = (PtSymbolBlock) model.getBlock();
	}

	/** Loads {@code file} (NVIDIA's {@code vgg16.pt}, or any TorchScript module called the same way). */
	static LpipsFeatures load(Path file, Device device) {
		return load(file, device, false);
	}

	/**
	 * The same, with {@code differentiable} for gradients through the network to its input (the projector): DJL then
	 * loads the weights as ordinary tensors (its {@code trainParam} option; by default they are inference tensors,
	 * which autograd refuses), kept out of the graph themselves.
	 */
	static LpipsFeatures load(Path file, Device device, boolean differentiable) {
		if (!Files.isRegularFile(file))
			throw new GenIJException("features=" + file + " does not exist: give NVIDIA's vgg16.pt (the LPIPS network of their metrics), or leave it empty.");
		String name = file.getFileName().toString();
		Model model = Model.newInstance("lpips", device, "PyTorch");
		try {
			model.load(file.toAbsolutePath().getParent(), name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name,
				differentiable ? java.util.Map.of("trainParam", "true") : java.util.Map.of());
			LpipsFeatures f = new LpipsFeatures(model);
			if (differentiable) f.block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
			return f;
		}
		catch (Exception | Error e) {
			model.close();
			throw new GenIJException("features=" + file + " could not be read as a TorchScript module (NVIDIA's vgg16.pt): " + e.getMessage());
		}
	}

	@Override
	public NDArray features(NDArray images) {
		IValue in = IValue.from((PtNDArray) images), resize = IValue.from(false), lpips = IValue.from(true);
		boolean graph = ai.djl.pytorch.jni.JniUtils.isGradMode();
		try (IValue out = graph ? RecordedCall.forward(block, in, resize, lpips) : block.forward(in, resize, lpips)) {
			NDArray f = out.toTensor((ai.djl.pytorch.engine.PtNDManager) images.getManager());
			return f.reshape(images.getShape().get(0), -1);
		}
		finally {
			in.close();
			resize.close();
			lpips.close();
		}
	}

	@Override
	public String describe() {
		return "LPIPS (" + model.getName() + ", TorchScript)";
	}

	@Override
	public void close() {
		model.close();
	}

	/**
	 * {@code forward(img, resize_images, return_lpips)} with autograd recording, which DJL's public calls do not offer:
	 * its {@code forward(IValue...)} (the only call that passes the two flags) runs libtorch with gradients off, and its
	 * gradient-recording {@code forward(NDList, training)} passes tensors only. The same native call is made with
	 * its training flag set, which turns gradients on and leaves the module in eval mode (checked: dropout stays off).
	 * Reached by reflection because DJL keeps it package-private; a DJL without it gets one clear line.
	 */
	private static final class RecordedCall {
		private static final Object LIBRARY;
		private static final java.lang.reflect.Method RUN;
		private static final java.lang.reflect.Constructor<IValue> WRAP;
		private static final String PROBLEM;

		static {
			Object lib = null;
			java.lang.reflect.Method run = null;
			java.lang.reflect.Constructor<IValue> wrap = null;
			String problem = null;
			try {
				Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
				java.lang.reflect.Field f = c.getDeclaredField("LIB");
				f.setAccessible(true);
				lib = f.get(null);
				run = c.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
				run.setAccessible(true);
				wrap = IValue.class.getDeclaredConstructor(long.class);
				wrap.setAccessible(true);
			}
			catch (ReflectiveOperationException | RuntimeException e) {
				problem = e.toString();
			}
			LIBRARY = lib;
			RUN = run;
			WRAP = wrap;
			PROBLEM = problem;
		}

		static IValue forward(PtSymbolBlock block, IValue... inputs) {
			if (PROBLEM != null) {
				throw new GenIJException("This DJL version offers no gradients through a TorchScript features file (" + PROBLEM + "); leave " +
					"features empty to project with the pixel distance.");
			}
			long[] handles = new long[inputs.length];
			for (int i = 0; i < inputs.length; i++) handles[i] = inputs[i].getHandle();
			try {
				long out = (Long) RUN.invoke(LIBRARY, block.getHandle(), "forward", handles, true, false);
				return WRAP.newInstance(out);
			}
			catch (java.lang.reflect.InvocationTargetException e) {
				Throwable cause = e.getCause();
				if (cause instanceof RuntimeException) throw (RuntimeException) cause;
				throw new GenIJException("The features network failed: " + cause, cause);
			}
			catch (ReflectiveOperationException e) {
				throw new GenIJException("The features network could not be called with gradients: " + e, e);
			}
		}
	}
}
