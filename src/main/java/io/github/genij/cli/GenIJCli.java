package io.github.genij.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.module.ModuleItem;

import ij.ImagePlus;
import io.github.genij.core.GenIJException;
import io.github.genij.ij.ImageFiles;
import io.github.genij.ij.ParameterRules;
import io.github.genij.ij.demo.TrainingData;

/**
 * The headless runner behind {@code ./genij}: the same commands and keys as Fiji's menus and macros.
 *
 * <pre>
 * genij list
 * genij run "Engine Info"
 * genij run "&lt;label&gt;" input=photo.tif key=value ... result=out.tif [--overwrite]
 * genij demo [folder]
 * </pre>
 *
 * Image inputs take file paths; each image output is written where its key says (TIFF keeps 16- and
 * 32-bit); text outputs are printed. A failure prints one line ({@code genij: ...}) on standard error.
 * Exit codes: 0 done; 1 the command refused or failed (a bad or missing value, a file it cannot read or
 * write, a model that does not fit); 2 genij did not understand the command line itself (an unknown
 * action, command label or key, or text that is not key=value).
 */
public final class GenIJCli {

	/** Exit codes: done; refused or failed; command line not understood. */
	public static final int OK = 0, FAILED = 1, USAGE = 2;

	private final PrintStream out;
	private final PrintStream err;
	/** A context to run commands in (kept open), or null for a fresh one per run as {@code ./genij} does. */
	private final Context shared;

	GenIJCli(PrintStream out, PrintStream err) {
		this(out, err, null);
	}

	/** For callers that run many commands (the families' tests): each run uses {@code shared} instead of starting a context. */
	public GenIJCli(PrintStream out, PrintStream err, Context shared) {
		this.out = out;
		this.err = err;
		this.shared = shared;
	}

	public static void main(String[] args) {
		int code = new GenIJCli(System.out, System.err).run(args);
		// SciJava and DJL leave non-daemon threads behind; the CLI is done.
		System.exit(code);
	}

	public int run(String[] args) {
		if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
			out.println(usage());
			return args.length == 0 ? USAGE : OK;
		}
		try {
			switch (args[0]) {
				case "list":
					return list();
				case "run":
					if (args.length < 2) throw new UsageException("run needs a command label: genij run \"Engine Info\"");
					return runCommand(args[1], rest(args, 2));
				case "demo":
					return new Demo(out).run(args.length > 1 ? Paths.get(args[1]) : Paths.get("target", "demo"));
				case "data":
					return data(rest(args, 1));
				default:
					throw new UsageException("Unknown action '" + args[0] + "'.\n" + usage());
			}
		}
		catch (UsageException e) {
			err.println("genij: " + e.getMessage());
			return USAGE;
		}
		catch (GenIJException e) {
			err.println("genij: " + e.getMessage());
			return FAILED;
		}
		catch (RuntimeException e) {
			err.println("genij: unexpected failure: " + e);
			if (Boolean.getBoolean("genij.debug")) e.printStackTrace(err);
			return FAILED;
		}
	}

	private static String usage() {
		StringBuilder u = new StringBuilder("usage: genij list | genij run \"<command label>\" key=value ... [--overwrite] | genij demo [folder]");
		for (TrainingData d : trainingData()) u.append("\n       genij data ").append(d.usage());
		return u.toString();
	}

	/** The training sets the families make (found with ServiceLoader). */
	private static List<TrainingData> trainingData() {
		List<TrainingData> sets = new ArrayList<>();
		ServiceLoader.load(TrainingData.class, GenIJCli.class.getClassLoader()).forEach(sets::add);
		return sets;
	}

	/** Training data made from Debian packages, for GenIJ's own models and for trying training out. */
	private int data(List<String> args) {
		List<String> names = new ArrayList<>();
		for (TrainingData d : trainingData()) {
			names.add(d.name());
			if (!args.isEmpty() && args.get(0).equals(d.name())) {
				try {
					d.make(args.subList(1, args.size()), out);
				}
				catch (IllegalArgumentException e) {
					throw new UsageException(e.getMessage() + " Usage: genij data " + d.usage());
				}
				return OK;
			}
		}
		throw new UsageException("data knows these sets: " + String.join(", ", names) + ". " + usage());
	}

	private int list() {
		try (Context context = new Context()) {
			for (CommandInfo c : new CommandCatalog(context).all()) out.println(CommandCatalog.describe(c));
		}
		return OK;
	}

	private int runCommand(String label, List<String> args) {
		boolean overwrite = args.remove("--overwrite");
		Map<String, String> values = parseKeys(args);
		Context context = shared != null ? shared : new Context();
		try {
			CommandCatalog catalog = new CommandCatalog(context);
			CommandInfo info = catalog.find(label);
			if (info == null) {
				throw new UsageException("No GenIJ command is labelled '" + label + "'. Known: " + catalog.all().stream()
					.map(CommandCatalog::label).collect(Collectors.joining(", ")) + ".");
			}
			Map<String, Object> inputs = new LinkedHashMap<>();
			Map<String, Path> imageOutputs = new LinkedHashMap<>();
			assign(info, values, inputs, imageOutputs, overwrite);
			StatusPrinter status = new StatusPrinter(err); // held here: the event service keeps only weak references
			context.service(EventService.class).subscribe(status);
			CommandModule module = await(context.service(CommandService.class).run(info, true, inputs));
			java.lang.ref.Reference.reachabilityFence(status);
			if (module.isCanceled()) throw new GenIJException(String.valueOf(module.getCancelReason()));
			return report(info, module, imageOutputs, overwrite);
		}
		finally {
			if (context != shared) context.dispose();
		}
	}

	/** Matches each key=value to an input or an image output, opening image files; refuses the rest. */

	private static void assign(CommandInfo info, Map<String, String> values, Map<String, Object> inputs,
		Map<String, Path> imageOutputs, boolean overwrite)
	{
		Map<String, ModuleItem<?>> keys = new LinkedHashMap<>();
		for (ModuleItem<?> k : CommandCatalog.keys(info)) keys.put(CommandCatalog.key(k), k);
		Map<String, ModuleItem<?>> outputs = new LinkedHashMap<>();
		for (ModuleItem<?> o : CommandCatalog.outputs(info)) outputs.put(CommandCatalog.key(o), o);
		for (Map.Entry<String, String> e : values.entrySet()) {
			ModuleItem<?> input = keys.get(e.getKey()), output = outputs.get(e.getKey());
			if (input != null) {
				inputs.put(input.getName(), input.getType() == ImagePlus.class ? ImageFiles.open(Paths.get(e.getValue()))
					: ParameterRules.parse(input, e.getKey(), e.getValue()));
			}
			else if (output != null && output.getType() == ImagePlus.class) {
				Path path = Paths.get(e.getValue());
				ImageFiles.checkWritable(path, overwrite);
				imageOutputs.put(output.getName(), path);
			}
			else {
				throw new UsageException("'" + CommandCatalog.label(info) + "' has no key '" + e.getKey() + "'. Keys: " +
					String.join(", ", keys.keySet()) + (outputs.isEmpty() ? "" : "; outputs: " + String.join(", ",
						outputs.keySet())) + ".");
			}
		}
		// inputs never change: a result may not be written over a file the command reads
		for (Map.Entry<String, Path> out : imageOutputs.entrySet()) {
			for (Map.Entry<String, String> e : values.entrySet()) {
				ModuleItem<?> input = keys.get(e.getKey());
				if (input != null && input.getType() == ImagePlus.class && ImageFiles.sameFile(Paths.get(e.getValue()), out.getValue())) {
					throw new GenIJException(out.getKey() + "=" + out.getValue() + " is the file of the input " + e.getKey() +
						"; GenIJ never changes its inputs. Choose another name for the result.");
				}
			}
		}
		// a full disk is said before the work, not after it
		long largest = 0;
		for (Object v : inputs.values()) if (v instanceof ImagePlus) largest = Math.max(largest, (long) ((ImagePlus) v).getSizeInBytes());
		boolean floats = "float32".equalsIgnoreCase(values.getOrDefault("outputtype", ""));
		for (Path out : imageOutputs.values()) ImageFiles.checkSpace(out, floats ? largest * 4 : largest);
		for (ModuleItem<?> k : keys.values()) {
			if (k.isRequired() && k.getType() == ImagePlus.class && !inputs.containsKey(k.getName())) {
				throw new GenIJException("'" + CommandCatalog.label(info) + "' needs " + CommandCatalog.key(k) +
					"=<image file>.");
			}
		}
	}

	private int report(CommandInfo info, CommandModule module, Map<String, Path> imageOutputs, boolean overwrite) {
		for (ModuleItem<?> o : CommandCatalog.outputs(info)) {
			Object value = module.getOutput(o.getName());
			if (value instanceof ImagePlus) {
				Path path = imageOutputs.get(o.getName());
				if (path == null) {
					out.println(CommandCatalog.key(o) + ": not saved (add " + CommandCatalog.key(o) + "=<file.tif> to save it)");
					continue;
				}
				ImageFiles.save((ImagePlus) value, path, overwrite);
				out.println(CommandCatalog.key(o) + ": " + path);
			}
			else if (value instanceof Number) out.println(CommandCatalog.key(o) + ": " + value); // a figure, named for scripts to grep
			else if (value != null) {
				out.print(value);
				if (!String.valueOf(value).endsWith("\n")) out.println();
			}
		}
		return OK;
	}

	private static CommandModule await(java.util.concurrent.Future<CommandModule> future) {
		try {
			return future.get();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new GenIJException("Interrupted.", e);
		}
		catch (ExecutionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			if (cause instanceof GenIJException) throw (GenIJException) cause;
			throw new GenIJException("The command failed: " + cause, cause);
		}
	}

	/** {@code key=value} pairs; keys are matched lower-case, as ImageJ macros match them. */
	static Map<String, String> parseKeys(List<String> args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String a : args) {
			int eq = a.indexOf('=');
			if (eq <= 0) throw new UsageException("Expected key=value, got '" + a + "'.");
			String key = a.substring(0, eq).trim().toLowerCase(Locale.ROOT), value = a.substring(eq + 1);
			// macro syntax brackets values with spaces: key=[my photo.tif]
			if (value.startsWith("[") && value.endsWith("]")) value = value.substring(1, value.length() - 1);
			if (values.put(key, value) != null) throw new UsageException("Key '" + key + "' is given twice.");
		}
		return values;
	}

	private static List<String> rest(String[] args, int from) {
		List<String> r = new ArrayList<>();
		for (int i = from; i < args.length; i++) r.add(args[i]);
		return r;
	}

	/** The command line itself not understood: unknown action, label or key, not key=value (exit code 2). */
	static final class UsageException extends GenIJException {
		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}
	}
}
