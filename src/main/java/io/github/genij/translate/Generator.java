package io.github.genij.translate;

import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import io.github.genij.core.nn.module.BatchNorm;
import io.github.genij.core.nn.module.Conv;
import io.github.genij.core.nn.module.ConvTranspose;
import io.github.genij.core.nn.module.Dropout;
import io.github.genij.core.nn.module.Init;
import io.github.genij.core.nn.module.Layer;
import io.github.genij.core.nn.module.Module;
import io.github.genij.core.nn.module.ReceptiveField;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tiling.ImageNetwork;

/**
 * A pix2pix/CycleGAN generator: {@code [1, in, H, W]} in [-1, 1] to {@code [1, out, H, W]} in [-1, 1],
 * declared as the reference's module tree.
 */
abstract class Generator extends Module implements Layer {

	private BatchNorm.Statistics statistics = BatchNorm.Statistics.RUNNING;
	/** The value convention the model was trained with (its card's, [-1, 1] for reference checkpoints). */
	ValuePreset preset = ValuePreset.SYMMETRIC;
	private WholeImageBatchNorm wholeImage;

	abstract int inputChannels();

	abstract int outputChannels();

	private ReceptiveField field;

	/** The receptive field and size multiple, from the module tree. */
	ReceptiveField receptiveField() {
		if (field == null) field = ReceptiveField.of(this);
		return field;
	}

	/** Sides must be multiples of this (the product of the strides). */
	int multiple() {
		return receptiveField().multiple;
	}

	boolean batchNorm() {
		return !modulesOf(BatchNorm.class).isEmpty();
	}

	/** Which batch-norm statistics inference uses: the stored running ones, or the image's own. */
	void use(BatchNorm.Statistics s) {
		statistics = s;
		for (BatchNorm n : modulesOf(BatchNorm.class)) n.use(s);
	}

	/** Dropout drawing from {@code r} (training, or the reference's test-time dropout); null: off. */
	void dropout(Random r) {
		for (Dropout d : modulesOf(Dropout.class)) d.draw(r);
	}

	/**
	 * This generator as the tiled runner should drive it: with batch norm on the image's own statistics,
	 * those of the whole image are gathered over its windows before the output pass.
	 */
	ImageNetwork network() {
		if (isTraining() || !batchNorm() || statistics != BatchNorm.Statistics.IMAGE) return this::forward;
		if (wholeImage == null) {
			List<BatchNorm> norms = modulesOf(BatchNorm.class);
			wholeImage = new WholeImageBatchNorm(norms.size());
			for (BatchNorm n : norms) n.source(wholeImage::statistics);
		}
		return wholeImage.network(this::forward);
	}

	/** The reference's {@code init_weights('normal', 0.02)}: what training starts from. */
	static <M extends Module> M referenceInit(M net) {
		for (Conv c : net.modulesOf(Conv.class)) c.init(Init.normal(0, 0.02), Init.zeros());
		for (ConvTranspose c : net.modulesOf(ConvTranspose.class)) c.init(Init.normal(0, 0.02), Init.zeros());
		for (BatchNorm n : net.modulesOf(BatchNorm.class)) n.init(Init.normal(1, 0.02), Init.zeros());
		return net;
	}

	@Override
	public abstract NDArray forward(NDArray x);
}
