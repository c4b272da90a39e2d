package io.github.genij.stylegan;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Slot;

/**
 * NVIDIA's {@code SynthesisBlock} at one resolution: the learned constant (4×4 block) or an up-sampling
 * layer ({@code conv0}), then {@code conv1}; the RGB image of the blocks so far up-sampled and this
 * block's {@code torgb} added ('skip', and the last block of every architecture); 'resnet' adds an
 * up-sampled 1×1 shortcut, both paths × √0.5.
 */
final class SynthesisBlock extends Module {

	final int in, out, resolution;
	final boolean isLast;
	final StyleGanArch.Architecture architecture;
	final int numConv, numToRgb;
	private final Slot constant, resampleFilter;
	private final SynthesisLayer conv0, conv1;
	private final ToRgbLayer torgb;
	private final SkipLayer skip;

	SynthesisBlock(int in, int out, int wDim, int resolution, int channels, boolean isLast,
		StyleGanArch.Architecture architecture, Float convClamp)
	{
		this.in = in;
		this.out = out;
		this.resolution = resolution;
		this.isLast = isLast;
		this.architecture = architecture;
		resampleFilter = buffer("resample_filter", StyleOps.FILTER, 4, 4);
		constant = in == 0 ? parameter("const", Init.normal(0, 1), out, resolution, resolution) : null;
		conv0 = in == 0 ? null : add("conv0", new SynthesisLayer(in, out, wDim, resolution, 2, convClamp));
		conv1 = add("conv1", new SynthesisLayer(out, out, wDim, resolution, 1, convClamp));
		boolean rgb = isLast || architecture == StyleGanArch.Architecture.SKIP;
		torgb = rgb ? add("torgb", new ToRgbLayer(out, channels, wDim, convClamp)) : null;
		skip = in != 0 && architecture == StyleGanArch.Architecture.RESNET ? add("skip", new SkipLayer(in, out)) : null;
		numConv = in == 0 ? 1 : 2;
		numToRgb = rgb ? 1 : 0;
	}

	/**
	 * One block: {@code x} the previous block's features (null for the first), {@code img} the RGB image so
	 * far (null before the first RGB), {@code ws} this block's {@code numConv + numToRgb} w's ({@code [1, w]}
	 * each). Returns {features, image}.
	 */
	NDArray[] forward(NDArray x, NDArray img, NDArray[] ws, Noise noise, NDArray like) {
		int k = 0;
		if (in == 0) {
			long n = like.getShape().get(0);
			x = constant.local(like).expandDims(0);
			if (n > 1) x = x.repeat(0, n); // NVIDIA's const.unsqueeze(0).repeat([batch, 1, 1, 1])
			x = conv1.forward(x, ws[k++], noise, 1f);
		}
		else if (architecture == StyleGanArch.Architecture.RESNET) {
			float half = (float) Math.sqrt(0.5);
			NDArray y = step(x, in -> skip.forward(in, half));
			NDArray a = conv0.forward(x, ws[k++], noise, 1f);
			NDArray b = conv1.forward(a, ws[k++], noise, half);
			x = y.add(b);
			if (!isTraining()) { // freed as soon as they are used: the 1024-px block's arrays are 128 MB each
				a.close();
				b.close();
				y.close();
			}
		}
		else {
			NDArray a = conv0.forward(x, ws[k++], noise, 1f);
			x = conv1.forward(a, ws[k++], noise, 1f);
			if (!isTraining()) a.close();
		}
		if (img != null) {
			NDArray filter = resampleFilter.local(img);
			img = step(img, in -> StyleOps.upsample2(in, filter));
		}
		if (torgb != null) {
			NDArray y = torgb.forward(x, ws[k]);
			img = img == null ? y : img.add(y);
		}
		return new NDArray[] { x, img };
	}
}
