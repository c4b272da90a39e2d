package io.github.genij.core.tiling;

import ai.djl.ndarray.NDArray;

/**
 * A network whose output depends on statistics of the whole image, which no single window holds (batch
 * norm on the statistics of the image at hand). Before the windows are run for output,
 * {@link TiledRunner} hands it the run's {@link Windows} to gather what it needs, walking them as many
 * times as it likes; after an out-of-memory retry it is asked again, with the smaller windows.
 */
public interface WholeImageNetwork extends ImageNetwork {

	void gather(Windows windows);

	/** The windows of the coming output pass. */
	interface Windows {

		int count();

		/**
		 * Runs {@code visitor} on every window in turn (each in a manager of its own, closed after it, with
		 * gradients off); {@code stage} names the walk in progress messages.
		 */
		void forEach(String stage, Visitor visitor);
	}

	@FunctionalInterface
	interface Visitor {
		void visit(NDArray window, OwnedRegion owned);
	}
}
