package io.github.genij.seg2photo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.genij.core.GenIJException;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.Upsample;
import io.github.genij.core.weights.WeightTensor;

/**
 * ZPdesu/SEAN's {@code SPADEGenerator}, keyed as its state dict: the label map (nearest, at 1/2⁵ or 1/2⁶ of the
 * output) through {@code fc}, then SPADE's residual blocks with {@link SeanAce} norms, up-sampling between them, and
 * {@code conv_img} with tanh; {@code Zencoder} encodes a style image into one code per label ({@link #styleCodes}).
 * SEAN builds 'most' up-sampling's {@code up_4} but never runs it (and then fails on the widths): 'normal' and 'more'.
 */
public final class SeanGenerator extends Module {

	public final int labelChannels, ngf, styleLength;
	public final SpadeGenerator.Depth depth;
	private final Zencoder zencoder;
	private final Conv fc, convImg;
	private final List<SeanResnetBlock> blocks = new ArrayList<>();
	private final Upsample up;

	public SeanGenerator(int labelChannels, int ngf, SpadeGenerator.Depth depth, int styleLength, int zencoderNgf) {
		if (depth == SpadeGenerator.Depth.MOST) throw new GenIJException("SEAN runs 'normal' or 'more' up-sampling ('most' fails in the reference).");
		this.labelChannels = labelChannels;
		this.ngf = ngf;
		this.depth = depth;
		this.styleLength = styleLength;
		zencoder = add("Zencoder", new Zencoder(zencoderNgf, styleLength));
		fc = add("fc", new Conv(labelChannels, 16 * ngf, 3, 1, 1, true));
		String[] names = { "head_0", "G_middle_0", "G_middle_1", "up_0", "up_1", "up_2", "up_3" };
		int[] in = { 16, 16, 16, 16, 8, 4, 2 }, out = { 16, 16, 16, 8, 4, 2, 1 };
		for (int i = 0; i < names.length; i++)
			blocks.add(add(names[i], new SeanResnetBlock(in[i] * ngf, out[i] * ngf, labelChannels, i == names.length - 1 ? 0 : styleLength)));
		convImg = add("conv_img", new Conv(ngf, 3, 3, 1, 1, true));
		up = add("up", new Upsample(2));
	}

	/** The generator whose state dict (SEAN's keys) this is: widths and label count from the shapes. */
	public static SeanGenerator of(Map<String, WeightTensor> sd, SpadeGenerator.Depth depth) {
		WeightTensor fc = sd.get("fc.weight"), mu = sd.get("head_0.ace_0.fc_mu0.weight"), z = sd.get("Zencoder.model.1.weight");
		if (fc == null || mu == null || z == null) throw new GenIJException("These weights are not a SEAN generator (no fc, Zencoder or ACE keys).");
		return new SeanGenerator((int) fc.shape()[1], (int) fc.shape()[0] / 16, depth == null ? SpadeGenerator.Depth.NORMAL : depth,
			(int) mu.shape()[0], (int) z.shape()[0]);
	}

	/** Sides of the input must be multiples of this. */
	public int multiple() {
		return 1 << depth.ups;
	}

	/**
	 * SEAN's style codes of an RGB image ({@code [1, 3, H, W]} in -1..1) over its own label map ({@code labels}, one
	 * label per pixel, H × W, row by row): the encoder's feature map, and for each label the mean of the features
	 * over its region, the label map resized to the map's size as PyTorch's {@code nearest} does; labels absent
	 * from the image get no code (null).
	 */
	public float[][] styleCodes(NDArray image, int[] labels) {
		long hh = image.getShape().get(2), ww = image.getShape().get(3);
		NDArray map = zencoder.forward(image);
		int h = (int) map.getShape().get(2), w = (int) map.getShape().get(3), n = h * w;
		float[] f = map.toFloatArray();
		double[][] sum = new double[labelChannels][];
		int[] count = new int[labelChannels];
		float scaleY = (float) hh / h, scaleX = (float) ww / w; // PyTorch's nearest: source ⌊dst · in / out⌋
		for (int y = 0; y < h; y++) {
			int sy = Math.min((int) Math.floor(y * scaleY), (int) hh - 1);
			for (int x = 0; x < w; x++) {
				int sx = Math.min((int) Math.floor(x * scaleX), (int) ww - 1);
				int label = labels[sy * (int) ww + sx];
				if (label < 0 || label >= labelChannels) continue;
				if (sum[label] == null) sum[label] = new double[styleLength];
				for (int c = 0; c < styleLength; c++) sum[label][c] += f[c * n + y * w + x];
				count[label]++;
			}
		}
		float[][] codes = new float[labelChannels][];
		for (int j = 0; j < labelChannels; j++) {
			if (count[j] == 0) continue;
			codes[j] = new float[styleLength];
			for (int c = 0; c < styleLength; c++) codes[j][c] = (float) (sum[j][c] / count[j]);
		}
		return codes;
	}

	/**
	 * The image {@code [1, 3, H, W]} for the one-hot label map {@code seg} ({@code [1, labelChannels, H, W]}) with one
	 * style code per label ({@code codes[j]}, null: zero, as the reference gives a label absent from the style), and
	 * per-pixel noise from {@code noise} (a map {@code [1, 1, h, w]} for an activation's size, asked per ACE in the
	 * reference's order) or none.
	 */
	public NDArray forward(NDArray seg, float[][] codes, Function<NDArray, NDArray> noise) {
		long h = seg.getShape().get(2), w = seg.getShape().get(3);
		if (h % multiple() != 0 || w % multiple() != 0) throw new GenIJException("SEAN needs sides that are multiples of " + multiple() + ".");
		if (labelChannels > SeanAce.STYLE_LAYERS)
			throw new GenIJException("This SEAN model has " + labelChannels + " label channels; its ACE blocks hold style layers for " + SeanAce.STYLE_LAYERS + ".");
		float[] flat = new float[labelChannels * styleLength];
		for (int j = 0; j < labelChannels; j++) if (codes[j] != null) System.arraycopy(codes[j], 0, flat, j * styleLength, styleLength);
		NDManager m = seg.getManager();
		NDArray codeArray = m.create(flat, new Shape(labelChannels, styleLength)).toType(seg.getDataType(), false).toDevice(seg.getDevice(), false);
		Labels labels = new Labels(seg);
		NDArray x = fc.forward(labels.at(h >> depth.ups, w >> depth.ups));
		for (int i = 0; i < blocks.size(); i++) {
			if (i == 1 || i == 2 && depth != SpadeGenerator.Depth.NORMAL || i >= 3) x = up.forward(x);
			x = blocks.get(i).forward(x, labels, codeArray, noise);
		}
		return convImg.forward(SpadeNorm.lrelu(x)).tanh();
	}
}
