package io.github.genij.ij.macro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.Context;
import org.scijava.convert.ConvertService;
import org.scijava.module.ModuleRunner;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.plugin.PlugIn;

/**
 * What Fiji's legacy layer does when a macro says {@code run("Label", "key=value ...")} for a SciJava
 * command, reduced to its semantics: keys are the parameter names in lower case, a bare key sets a
 * boolean, image parameters are filled by window title (the active image when the key is absent), image
 * outputs are shown as new images (in batch mode: added to the macro's images), text outputs are logged,
 * and a failure is logged without stopping the macro (so batch macros can go on to the next file).
 */
public class SciJavaBridge implements PlugIn {

	@Override
	public void run(String label) {
		MacroHarness harness = MacroHarness.current();
		CommandInfo info = harness.command(label);
		String options = Macro.getOptions();
		try {
			Map<String, Object> inputs = inputs(info, options == null ? "" : options);
			CommandModule module = runLikeLegacy(harness.context(), info, inputs, options);
			if (module.isCanceled()) {
				harness.failed(label, String.valueOf(module.getCancelReason()));
				return;
			}
			for (ModuleItem<?> out : info.outputs()) {
				Object value = module.getOutput(out.getName());
				if (value instanceof ImagePlus) ((ImagePlus) value).show();
				else if (value != null) IJ.log(String.valueOf(value));
			}
		}
		catch (Exception e) {
			harness.failed(label, e.getCause() != null ? e.getCause().toString() : e.toString());
		}
	}

	/**
	 * Runs the command as Fiji's legacy layer does: on a module thread where the macro's options are
	 * visible ({@code Macro.getOptions()}, as imagej-legacy's macro preprocessor reads them), each value
	 * converted by SciJava where it can be and left at its default where it cannot.
	 */
	private static CommandModule runLikeLegacy(Context context, CommandInfo info, Map<String, Object> inputs, String options)
		throws Exception
	{
		CommandModule module = (CommandModule) context.service(ModuleService.class).createModule(info);
		ConvertService convert = context.service(ConvertService.class);
		for (Map.Entry<String, Object> e : inputs.entrySet()) {
			Object value = convert.convert(e.getValue(), info.getInput(e.getKey()).getType());
			if (value == null) continue; // what the legacy layer does: the default stays
			module.setInput(e.getKey(), value);
			module.resolveInput(e.getKey());
		}
		PluginService plugins = context.service(PluginService.class);
		List<PreprocessorPlugin> pre = plugins.createInstancesOfType(PreprocessorPlugin.class);
		List<PostprocessorPlugin> post = plugins.createInstancesOfType(PostprocessorPlugin.class);
		Throwable[] failure = new Throwable[1];
		Thread thread = new Thread(() -> {
			try {
				new ModuleRunner(context, module, pre, post).run();
			}
			catch (Throwable t) {
				failure[0] = t;
			}
		}, "Run$_GenIJ module");
		Macro.setOptions(thread, options);
		try {
			thread.start();
			thread.join();
		}
		finally {
			Macro.setOptions(thread, null);
		}
		if (failure[0] instanceof Exception) throw (Exception) failure[0];
		if (failure[0] != null) throw new IllegalStateException(failure[0]);
		return module;
	}

	private static Map<String, Object> inputs(CommandInfo info, String options) {
		Map<String, Object> inputs = new LinkedHashMap<>();
		for (ModuleItem<?> item : info.inputs()) {
			Class<?> type = item.getType();
			if (Service.class.isAssignableFrom(type) || type == org.scijava.Context.class) continue;
			String key = item.getName().toLowerCase(Locale.ROOT);
			String value = Macro.getValue(options, key, null);
			if (type == ImagePlus.class) {
				ImagePlus imp = value == null ? WindowManager.getCurrentImage() : WindowManager.getImage(value);
				if (imp == null) {
					throw new IllegalArgumentException(value == null ? "There is no image open for '" + key + "'."
						: "There is no image titled '" + value + "' for '" + key + "'.");
				}
				inputs.put(item.getName(), imp);
			}
			else if (type == boolean.class || type == Boolean.class) {
				boolean bare = Pattern.compile("(^|\\s)" + Pattern.quote(key) + "(\\s|$)").matcher(options).find();
				if (value != null || bare) inputs.put(item.getName(), value == null ? "true" : value);
			}
			else if (value != null) inputs.put(item.getName(), value);
		}
		return inputs;
	}
}
