package io.github.genij.ij;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.Parameter;

import ij.Macro;
import io.github.genij.core.GenIJException;

/**
 * Every key's value checked in one place, against what its {@code @Parameter} declares: the type (a
 * whole number, a number, true or false), the range ({@code min}, {@code max}, finite) and the allowed
 * choices. A value that does not fit is refused with one line naming the key, the value and what is
 * allowed, before any work starts; no command parses choice strings itself.
 */
public final class ParameterRules {

	private ParameterRules() {}

	/**
	 * Checks the values a command's fields hold now (however they were set: a macro, the CLI, Java), and
	 * writes choices back in their declared spelling ({@code Adam} becomes {@code adam}).
	 */
	public static void check(Object command) {
		for (Class<?> c = command.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
			for (Field f : c.getDeclaredFields()) {
				Parameter p = f.getAnnotation(Parameter.class);
				if (p == null || p.type() == ItemIO.OUTPUT || !isValue(f.getType())) continue;
				f.setAccessible(true);
				try {
					check(f, p, command);
				}
				catch (IllegalAccessException e) {
					throw new IllegalStateException(e);
				}
			}
		}
	}

	private static boolean isValue(Class<?> t) {
		return t == String.class || t.isPrimitive() || Number.class.isAssignableFrom(t) || t == Boolean.class;
	}

	private static void check(Field f, Parameter p, Object command) throws IllegalAccessException {
		String key = f.getName().toLowerCase(Locale.ROOT);
		Object v = f.get(command);
		if (v == null) return;
		if (v instanceof String && p.choices().length > 0) {
			String canonical = choice((String) v, p.choices());
			if (canonical == null) {
				throw new GenIJException(key + "=" + v + " is not allowed: use " + either(p.choices()) + ".");
			}
			f.set(command, canonical);
		}
		if (v instanceof Number) {
			double d = ((Number) v).doubleValue();
			if (Double.isNaN(d) || Double.isInfinite(d)) throw new GenIJException(key + "=" + v + " is not a finite number.");
			if (!p.min().isEmpty() && d < Double.parseDouble(p.min()))
				throw new GenIJException(key + "=" + v + " is too small: give " + p.min() + " or more.");
			if (!p.max().isEmpty() && d > Double.parseDouble(p.max()))
				throw new GenIJException(key + "=" + v + " is too large: give " + p.max() + " or less.");
		}
	}

	/** The declared spelling of {@code value} among {@code choices} (case and surrounding space ignored), or null. */
	static String choice(String value, String[] choices) {
		for (String c : choices)
			if (c.equalsIgnoreCase(value.trim())) return c;
		return null;
	}

	private static String either(String[] choices) {
		List<String> l = new ArrayList<>(List.of(choices));
		if (l.size() == 1) return l.get(0);
		String last = l.remove(l.size() - 1);
		return String.join(", ", l) + " or " + last;
	}

	/**
	 * A key's text (from the command line or a macro) as the value its item takes, refused with one line
	 * when it is not one: {@code iterations=abc is not a whole number}.
	 */
	public static Object parse(ModuleItem<?> item, String key, String text) {
		String[] choices = item.getChoices() == null ? new String[0]
			: item.getChoices().stream().map(Object::toString).toArray(String[]::new);
		return parse(item.getType(), key, text, choices, range(item.getMinimumValue(), item.getMaximumValue()));
	}

	/**
	 * When the command runs from an ImageJ macro (or headless Fiji's {@code --run}), checks the macro's
	 * own text for each key and sets the field from it. SciJava converts macro values before the command
	 * sees them and keeps the default when it cannot ({@code alpha=abc} would run with the default
	 * alpha), so the text is the only place a wrong value can still be noticed.
	 */
	static void checkMacroText(Object command, String options) {
		if (options == null || options.isBlank()) return;
		for (Class<?> c = command.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
			for (Field f : c.getDeclaredFields()) {
				Parameter p = f.getAnnotation(Parameter.class);
				if (p != null && p.type() != ItemIO.OUTPUT && !p.required() && f.getType() == ij.ImagePlus.class &&
					Macro.getValue(options, f.getName().toLowerCase(Locale.ROOT), null) == null)
				{
					// an optional image the macro did not name (a style image, instance ids): the legacy layer fills an
					// unresolved image input with the active window, which would silently be the input itself
					f.setAccessible(true);
					try {
						f.set(command, null);
					}
					catch (IllegalAccessException e) {
						throw new IllegalStateException(e);
					}
					continue;
				}
				if (p == null || p.type() == ItemIO.OUTPUT || !isValue(f.getType())) continue;
				String key = f.getName().toLowerCase(Locale.ROOT);
				String text = Macro.getValue(options, key, null);
				if (text == null) continue; // absent, or a bare boolean key (true)
				Object value = parse(f.getType(), key, text, p.choices(), range(nullIfEmpty(p.min()), nullIfEmpty(p.max())));
				f.setAccessible(true);
				try {
					f.set(command, value);
				}
				catch (IllegalAccessException e) {
					throw new IllegalStateException(e);
				}
			}
		}
	}

	private static Object parse(Class<?> t, String key, String text, String[] choices, String range) {
		String s = text.trim();
		try {
			if (t == int.class || t == Integer.class) return Integer.parseInt(s);
			if (t == long.class || t == Long.class) return Long.parseLong(s);
		}
		catch (NumberFormatException e) {
			throw new GenIJException(key + "=" + text + " is not a whole number" + range + ".");
		}
		try {
			if (t == double.class || t == Double.class) return finite(key, text, Double.parseDouble(s));
			if (t == float.class || t == Float.class) return (float) finite(key, text, Float.parseFloat(s));
		}
		catch (NumberFormatException e) {
			throw new GenIJException(key + "=" + text + " is not a number" + range + ".");
		}
		if (t == boolean.class || t == Boolean.class) {
			if (s.equalsIgnoreCase("true")) return true;
			if (s.equalsIgnoreCase("false")) return false;
			throw new GenIJException(key + "=" + text + " is not allowed: use true or false.");
		}
		if (t == File.class) return new File(s);
		if (t == String.class && choices.length > 0) {
			String c = choice(s, choices);
			if (c == null) throw new GenIJException(key + "=" + text + " is not allowed: use " + either(choices) + ".");
			return c;
		}
		return text;
	}

	private static Object nullIfEmpty(String s) {
		return s.isEmpty() ? null : s;
	}

	private static double finite(String key, String text, double d) {
		if (Double.isNaN(d) || Double.isInfinite(d)) throw new GenIJException(key + "=" + text + " is not a finite number.");
		return d;
	}

	private static String range(Object min, Object max) {
		if (min != null && max != null) return " (" + min + " to " + max + ")";
		if (min != null) return " (" + min + " or more)";
		return "";
	}
}
