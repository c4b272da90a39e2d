package io.github.genij.stylegan;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.Module;

/**
 * NVIDIA's {@code SynthesisNetwork}: blocks {@code b4, b8, ..., b<resolution>}. Block b reads the w's from
 * index i to i + numConv + numToRgb, and i advances by numConv only: a block's ToRGB shares its w with the
 * next block's first layer.
 */
final class SynthesisNetwork extends Module {

	final List<SynthesisBlock> blocks = new ArrayList<>();
	final int numWs;

	SynthesisNetwork(StyleGanArch a) {
		int ws = 0;
		for (int res = 4; res <= a.resolution; res *= 2) {
			SynthesisBlock b = add("b" + res, new SynthesisBlock(res == 4 ? 0 : a.channels(res / 2), a.channels(res), a.wDim,
				res, a.imageChannels, res == a.resolution, a.architecture, a.convClamp));
			blocks.add(b);
			ws += b.numConv + (b.isLast ? b.numToRgb : 0);
		}
		numWs = ws;
	}

	/** The image {@code [1, C, R, R]} (about -1..1) for {@code ws} ({@code [1, numWs, wDim]}). */
	NDArray forward(NDArray ws, Noise noise) {
		NDArray x = null, img = null;
		int i = 0;
		for (SynthesisBlock b : blocks) {
			NDArray[] w = new NDArray[b.numConv + b.numToRgb];
			for (int k = 0; k < w.length; k++) w[k] = ws.get(":, " + (i + k) + ", :");
			NDArray[] r = b.forward(x, img, w, noise, ws);
			if (!isTraining()) { // the previous block's features and image are not needed any more
				if (x != null && x != r[0]) x.close();
				if (img != null && img != r[1]) img.close();
			}
			x = r[0];
			img = r[1];
			i += b.numConv;
		}
		return img;
	}
}
