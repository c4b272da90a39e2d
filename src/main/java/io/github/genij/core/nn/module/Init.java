package io.github.genij.core.nn.module;

import java.util.Arrays;
import java.util.Random;

/**
 * How a fresh tensor is filled before training, drawn from one {@link Random} in state-dict order so that
 * the same seed gives the same network. Each reference initialises its own way: say which in the module
 * declaration ({@code conv.init(Init.normal(0, 0.02), Init.zeros())}).
 */
@FunctionalInterface
public interface Init {

	void fill(float[] values, long[] shape, Random random);

	static Init zeros() {
		return (v, s, r) -> Arrays.fill(v, 0f);
	}

	static Init ones() {
		return (v, s, r) -> Arrays.fill(v, 1f);
	}

	/** N(mean, std): the pix2pix/CycleGAN reference's {@code init_weights('normal', 0.02)}. */
	static Init normal(double mean, double std) {
		return (v, s, r) -> {
			for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * r.nextGaussian());
		};
	}

	/**
	 * PyTorch's default for convolutions and linear layers (kaiming_uniform with a = sqrt(5), and the bias
	 * alike): U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = {@code fanIn} values per output.
	 */
	static Init uniformFanIn(long fanIn) {
		double bound = 1 / Math.sqrt(Math.max(1, fanIn));
		return (v, s, r) -> {
			for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
		};
	}

	/**
	 * PyTorch's {@code xavier_normal_(w, gain)}: N(0, gain * sqrt(2 / (fanIn + fanOut))), the fans counting the
	 * kernel's positions (NVlabs/SPADE's {@code init_weights('xavier', 0.02)}).
	 */
	static Init xavierNormal(double gain) {
		return (v, s, r) -> {
			long receptive = 1;
			for (int i = 2; i < s.length; i++) receptive *= s[i];
			double fanIn = s.length > 1 ? s[1] * receptive : s[0], fanOut = s[0] * receptive;
			double std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
			for (int i = 0; i < v.length; i++) v[i] = (float) (std * r.nextGaussian());
		};
	}
}
