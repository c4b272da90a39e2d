package io.github.genij.ij;

import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;

import io.github.genij.core.progress.Progress;

/** A command's StatusService, LogService and cancel flag, seen by the core as a {@link Progress}. */
final class CommandProgress implements Progress {

	private final ContextCommand command;
	private final StatusService status;
	private final LogService log;
	private final String prefix;

	CommandProgress(ContextCommand command, StatusService status, LogService log, String prefix) {
		this.command = command;
		this.status = status;
		this.log = log;
		this.prefix = prefix;
	}

	@Override
	public void status(String message) {
		if (status != null) status.showStatus(prefix + ": " + message);
	}

	@Override
	public void progress(long done, long total) {
		if (status == null || total <= 0) return;
		// StatusService takes ints; keep the ratio for totals beyond that range
		int scale = total > Integer.MAX_VALUE ? (int) (total / Integer.MAX_VALUE + 1) : 1;
		status.showProgress((int) (done / scale), (int) (total / scale));
	}

	@Override
	public void log(String message) {
		if (log != null) log.info(prefix + ": " + message);
	}

	@Override
	public boolean isCancelled() {
		return command.isCanceled();
	}
}
