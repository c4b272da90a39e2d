package io.github.genij.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * The GenIJ commands a context knows, found by their label (the last menu entry, as a macro's
 * {@code run("Label", ...)} names them), with the keys a macro or the CLI passes.
 */
final class CommandCatalog {

	static final String PACKAGE_PREFIX = "io.github.genij.";

	private final List<CommandInfo> commands;

	CommandCatalog(Context context) {
		commands = context.service(CommandService.class).getCommands().stream()
			.filter(c -> c.getClassName().startsWith(PACKAGE_PREFIX) && c.getMenuPath() != null &&
				c.getMenuPath().getLeaf() != null)
			.sorted(Comparator.comparing(CommandCatalog::menuPath))
			.collect(Collectors.toList());
	}

	List<CommandInfo> all() {
		return commands;
	}

	/** The command with this label or menu path, ignoring case; null if none. */
	CommandInfo find(String labelOrPath) {
		String wanted = labelOrPath.trim().toLowerCase(Locale.ROOT);
		for (CommandInfo c : commands)
			if (label(c).toLowerCase(Locale.ROOT).equals(wanted) || menuPath(c).toLowerCase(Locale.ROOT).equals(wanted))
				return c;
		return null;
	}

	static String label(CommandInfo c) {
		return c.getMenuPath().getLeaf().getName();
	}

	static String menuPath(CommandInfo c) {
		return c.getMenuPath().getMenuString(true).replace(" > ", ">");
	}

	/** The inputs a user sets: services and messages are not keys. */
	static List<ModuleItem<?>> keys(CommandInfo c) {
		List<ModuleItem<?>> keys = new ArrayList<>();
		for (ModuleItem<?> item : c.inputs()) {
			if (Service.class.isAssignableFrom(item.getType()) || Context.class.isAssignableFrom(item.getType())) continue;
			if (item.getVisibility() == ItemVisibility.MESSAGE) continue;
			keys.add(item);
		}
		return keys;
	}

	static List<ModuleItem<?>> outputs(CommandInfo c) {
		List<ModuleItem<?>> outputs = new ArrayList<>();
		for (ModuleItem<?> item : c.outputs()) outputs.add(item);
		return outputs;
	}

	/** The macro key of an item: its name in lower case. */
	static String key(ModuleItem<?> item) {
		return item.getName().toLowerCase(Locale.ROOT);
	}

	/** One line: label, menu path, keys with their types, outputs. */
	static String describe(CommandInfo c) {
		StringBuilder s = new StringBuilder();
		s.append(label(c)).append("\t").append(menuPath(c)).append("\tkeys:");
		for (ModuleItem<?> k : keys(c)) {
			s.append(' ').append(key(k)).append('=').append(typeHint(k));
		}
		s.append("\toutputs:");
		for (ModuleItem<?> o : outputs(c)) s.append(' ').append(key(o)).append('=').append(typeHint(o));
		return s.toString();
	}

	private static String typeHint(ModuleItem<?> item) {
		if (item.getType() == ij.ImagePlus.class) return "<image file>";
		if (item.getType() == java.io.File.class) return "<path>";
		List<?> choices = item.getChoices();
		if (choices != null && !choices.isEmpty())
			return choices.stream().map(String::valueOf).collect(Collectors.joining("|"));
		return "<" + item.getType().getSimpleName().toLowerCase(Locale.ROOT) + ">";
	}
}
