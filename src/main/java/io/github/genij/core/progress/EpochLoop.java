package io.github.genij.core.progress;

import java.nio.file.Path;

/**
 * The loop every epoch-based trainer runs, so that each says only what an epoch and a step are: epochs from where a
 * checkpoint stands, a cancel check before every step (the position is saved, then the cancel goes on), progress
 * after it, a save every few minutes inside an epoch and one after each epoch. A resumed run takes the same steps as
 * an uninterrupted one as long as each step draws its randomness from (seed, epoch, step).
 */
public abstract class EpochLoop {

	/** How often a long epoch is saved on the way. */
	public static final long SAVE_EVERY_MS = 5 * 60_000L;

	protected final Progress progress;
	private final Path checkpoint;

	/** @param checkpoint where saves go (named when a cancel stops the run) */
	protected EpochLoop(Progress progress, Path checkpoint) {
		this.progress = progress;
		this.checkpoint = checkpoint;
	}

	/** Runs epochs {@code epoch} (from step {@code position}) to {@code epochs - 1}. */
	public final void run(int epoch, int position, int epochs) {
		long lastSave = System.currentTimeMillis();
		for (int e = epoch; e < epochs; e++) {
			int steps = startEpoch(e);
			long total = (long) epochs * steps;
			for (int i = e == epoch ? position : 0; i < steps; i++) {
				try {
					progress.checkCancelled();
				}
				catch (CancelledException cancelled) {
					save(e, i);
					progress.log("Stopped at epoch " + (e + 1) + ", step " + (i + 1) + "; saved to " + checkpoint +
						". Run again with the same output name to continue.");
					throw cancelled;
				}
				step(e, i, steps);
				progress.progress((long) e * steps + i + 1, total);
				if (System.currentTimeMillis() - lastSave > SAVE_EVERY_MS && i + 1 < steps) {
					save(e, i + 1);
					lastSave = System.currentTimeMillis();
				}
			}
			endEpoch(e);
			save(e + 1, 0);
			lastSave = System.currentTimeMillis();
		}
	}

	/** Prepares epoch {@code epoch} (order, learning rate, status line) and says how many steps it has. */
	protected abstract int startEpoch(int epoch);

	/** One step (the trainer's random draws seeded by epoch and step). */
	protected abstract void step(int epoch, int step, int steps);

	/** After the epoch's last step: its report, log line and listener call, before the save. */
	protected abstract void endEpoch(int epoch);

	/** Saves everything a resume needs, standing at {@code position} of {@code epoch}. */
	protected abstract void save(int epoch, int position);
}
