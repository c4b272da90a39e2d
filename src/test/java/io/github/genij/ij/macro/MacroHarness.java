package io.github.genij.ij.macro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.Menus;
import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Runs ImageJ 1.x macros headless, as Fiji would, with GenIJ's SciJava commands reachable by
 * {@code run("<label>", "key=value ...")}.
 * <p>
 * ImageJ 1.x builds its command table only with AWT menus; headless, this harness fills it from
 * {@code IJ_Props.txt} and adds every GenIJ command, routed through {@link SciJavaBridge}. Most built-in
 * menu commands are hard-coded in {@code Menus.addMenuBar()} and so are missing here ("Close All",
 * "Invert"): macros under test use macro functions ({@code open}, {@code saveAs}, {@code close}) instead. Script parameters ({@code #@ File (style="directory") input}) are turned into
 * assignments at the top of the macro, as Fiji's macro engine does. Output printed by the macro is
 * captured; failures of GenIJ commands are collected rather than stopping the macro.
 */
public final class MacroHarness implements AutoCloseable {

	private static final Pattern SCRIPT_PARAMETER = Pattern.compile("^\\s*#@\\s*(\\w+)\\s*(\\((?:[^)\"]|\"[^\"]*\")*\\))?\\s*(\\w+)\\s*$");
	private static final Pattern PROPS_COMMAND = Pattern.compile("^[a-z_]+\\d+=\"(.+?)\",(.+)$");

	private static MacroHarness current;

	private final Context context;
	private final List<String> failures = new ArrayList<>();

	public MacroHarness(Context context) {
		this.context = context;
		installCommands();
		current = this;
	}

	static MacroHarness current() {
		if (current == null) throw new IllegalStateException("no MacroHarness is open");
		return current;
	}

	Context context() {
		return context;
	}

	CommandInfo command(String label) {
		for (CommandInfo c : context.service(CommandService.class).getCommands())
			if (c.getMenuPath() != null && c.getMenuPath().getLeaf() != null && label.equals(c.getMenuPath().getLeaf()
				.getName())) return c;
		throw new IllegalStateException("no command labelled " + label);
	}

	synchronized void failed(String label, String reason) {
		failures.add(label + ": " + reason);
		IJ.log("GenIJ " + label + " failed: " + reason);
	}

	/** Failures of GenIJ commands during the macros run so far, as "label: reason". */
	public synchronized List<String> failures() {
		return new ArrayList<>(failures);
	}

	/** Runs a macro file with values for its {@code #@} parameters; returns everything it printed. */
	public String run(Path macro, Map<String, String> parameters) throws IOException {
		return runText(new String(Files.readAllBytes(macro), StandardCharsets.UTF_8), parameters);
	}

	/** Runs macro text; returns everything it printed (the Log window's lines, headless on stdout). */
	public String runText(String macro, Map<String, String> parameters) {
		// Headless Fiji runs every macro in batch mode; the interpreter resets the flag at start.
		String code = "setBatchMode(true);\n" + bindScriptParameters(macro, parameters);
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true));
		Interpreter interpreter = new Interpreter();
		// Headless, a macro error would open a dialog and fail; keep the message and report it instead.
		interpreter.setIgnoreErrors(true);
		String stopped = null;
		try {
			interpreter.run(code);
		}
		catch (RuntimeException e) {
			// exit("...") and aborts end the macro this way; keep what it printed for the report
			stopped = e.getMessage();
		}
		finally {
			System.setOut(original);
		}
		String printed = new String(captured.toByteArray(), StandardCharsets.UTF_8);
		original.print(printed);
		if (interpreter.getErrorMessage() != null)
			throw new MacroError(interpreter.getErrorMessage(), printed);
		if (stopped != null) throw new MacroError("stopped (" + stopped + ")", printed);
		return printed;
	}

	/** Fiji's macro engine assigns {@code #@} parameters as variables before the macro's first line. */
	static String bindScriptParameters(String macro, Map<String, String> values) {
		StringBuilder head = new StringBuilder(), body = new StringBuilder();
		for (String line : macro.split("\n", -1)) {
			Matcher m = SCRIPT_PARAMETER.matcher(line);
			if (m.matches()) {
				String name = m.group(3), type = m.group(1);
				if (!values.containsKey(name)) throw new IllegalArgumentException("no value for macro parameter " + name);
				String v = values.get(name);
				boolean number = type.equalsIgnoreCase("int") || type.equalsIgnoreCase("float") ||
					type.equalsIgnoreCase("double") || type.equalsIgnoreCase("Integer");
				head.append(name).append(" = ").append(number ? v : quote(v)).append(";\n");
				body.append("//").append(line).append('\n');
			}
			else body.append(line).append('\n');
		}
		return head.append(body).toString();
	}

	private static String quote(String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void installCommands() {
		try {
			Field f = Menus.class.getDeclaredField("pluginsTable");
			f.setAccessible(true);
			Hashtable table = (Hashtable) f.get(null);
			if (table == null) {
				table = new Hashtable();
				f.set(null, table);
				addBuiltIns(table);
			}
			for (CommandInfo c : context.service(CommandService.class).getCommands()) {
				if (!c.getClassName().startsWith("io.github.genij.") || c.getMenuPath() == null) continue;
				String label = c.getMenuPath().getLeaf().getName();
				table.put(label, SciJavaBridge.class.getName() + "(\"" + label + "\")");
			}
		}
		catch (ReflectiveOperationException | IOException e) {
			throw new IllegalStateException("cannot fill ImageJ's command table", e);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void addBuiltIns(Hashtable table) throws IOException {
		try (InputStream in = IJ.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) return;
			for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
				Matcher m = PROPS_COMMAND.matcher(line.trim());
				if (!m.matches()) continue;
				String label = m.group(1).replaceAll("\\[.\\]$", "");
				table.put(label, m.group(2));
			}
		}
	}

	/** A macro stopped with an error; carries what it printed until then. */
	public static final class MacroError extends RuntimeException {
		private static final long serialVersionUID = 1L;
		public final String printed;

		MacroError(String message, String printed) {
			super("macro error: " + message + "\nprinted before:\n" + printed);
			this.printed = printed;
		}
	}

	/** Closes the macro's images and forgets this harness. */
	@Override
	public void close() {
		while (WindowManager.getImageCount() > 0) {
			ij.ImagePlus imp = WindowManager.getImage(WindowManager.getIDList()[0]);
			imp.changes = false;
			imp.close();
			Interpreter.removeBatchModeImage(imp);
		}
		current = null;
	}
}
