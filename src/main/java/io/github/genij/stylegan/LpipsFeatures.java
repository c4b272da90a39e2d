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
		if (!Files.isRegularFile(file))
			throw new GenIJException("features=" + file + " does not exist: give NVIDIA's vgg16.pt (the LPIPS network of their metrics), or leave it empty.");
		String name = file.getFileName().toString();
		Model model = Model.newInstance("lpips", device, "PyTorch");
		try {
			model.load(file.toAbsolutePath().getParent(), name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name);
			return new LpipsFeatures(model);
		}
		catch (Exception | Error e) {
			model.close();
			throw new GenIJException("features=" + file + " could not be read as a TorchScript module (NVIDIA's vgg16.pt): " + e.getMessage());
		}
	}

	@Override
	public NDArray features(NDArray images) {
		IValue in = IValue.from((PtNDArray) images), resize = IValue.from(false), lpips = IValue.from(true);
		try (IValue out = block.forward(in, resize, lpips)) {
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
}
