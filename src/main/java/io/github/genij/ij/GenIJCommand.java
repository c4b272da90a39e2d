package io.github.genij.ij;

import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ij.IJ;
import ij.Macro;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.DeviceChoice;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.engine.NoGrad;
import io.github.genij.core.progress.CancelledException;
import io.github.genij.core.progress.Progress;
import io.github.genij.core.weights.ModelStore;

/**
 * What every GenIJ command shares: the {@code device} choice, progress and cancel through
 * {@link Progress}, logging, and one NDManager that is closed whether the work succeeds, fails or is
 * cancelled.
 * <p>
 * Subclasses implement {@link #execute(Progress)} and stay thin: parameters in, a core task, outputs
 * out. A failure the user can fix ({@link GenIJException}) cancels the command with that message, which
 * Fiji shows and the CLI prints; anything else is a bug: logged with its stack trace, then cancelled too.
 */
public abstract class GenIJCommand extends ContextCommand {

	@Parameter
	protected LogService log;

	@Parameter(required = false)
	protected StatusService statusService;

	@Parameter(required = false)
	private ModelCacheService models;

	@Parameter(label = "Device", description = "Where the network runs: auto (a GPU if there is one), cpu, or gpu0, gpu1, ...",
		choices = { "auto", "cpu", "gpu0", "gpu1", "gpu2", "gpu3" }, required = false, persist = false,
		visibility = ItemVisibility.NORMAL)
	protected String device = "auto";

	private NDManager manager;

	/** The work itself; called once per run. */
	protected abstract void execute(Progress progress) throws Exception;

	/** The name used in status lines and logs. */
	protected String displayName() {
		return getClass().getSimpleName().replace("Command", "");
	}

	@Override
	public final void run() {
		Progress progress = new CommandProgress(this, statusService, log, displayName());
		NoGrad inference = null;
		try {
			// SciJava threads start with autograd recording on; GenIJ commands infer unless they train.
			inference = NoGrad.enter();
			if (IJ.isMacro()) ParameterRules.checkMacroText(this, Macro.getOptions());
			ParameterRules.check(this); // every key's type, range and choice, before any work
			if (!io.github.genij.core.engine.ConvolutionCheck.passes()) progress.log(io.github.genij.core.engine.ConvolutionCheck.warning());
			execute(progress);
		}
		catch (CancelledException e) {
			cancel(e.getMessage());
		}
		catch (GenIJException e) {
			// SciJava shows a cancel reason to the user (a dialog in Fiji, a warning headless).
			cancel(e.getMessage());
		}
		catch (Exception | Error e) {
			log.error(displayName() + " failed", e);
			cancel(displayName() + " failed: " + e);
		}
		finally {
			if (inference != null) inference.close();
			if (manager != null) {
				manager.close();
				manager = null;
			}
			if (statusService != null) statusService.clearStatus();
		}
	}

	/**
	 * A model by installed name, model folder or weights file, read (and verified) once per file version
	 * in a Fiji session.
	 */
	protected ModelStore.Installed model(String modelOrFile, String key) {
		return models != null ? models.resolve(modelOrFile, key) : ModelStore.defaultStore().resolve(modelOrFile, key);
	}

	/** The chosen device, checked against this machine. */
	protected Device device() {
		return GenIJEngine.device(DeviceChoice.parse(device));
	}

	/** This run's NDManager on the chosen device; closed when the run ends, however it ends. */
	protected NDManager manager() {
		if (manager == null) manager = GenIJEngine.get().newBaseManager(device());
		return manager;
	}

	/** True while a manager is open: for tests that check native memory is released. */
	boolean holdsNativeMemory() {
		return manager != null && manager.isOpen();
	}
}
