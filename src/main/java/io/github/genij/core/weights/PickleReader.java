package io.github.genij.core.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.genij.core.weights.PickleValues.Global;
import io.github.genij.core.weights.PickleValues.Inert;
import io.github.genij.core.weights.PickleValues.Tuple;

/**
 * A small unpickler for what {@code torch.save} writes (protocols 0 to 4), with a whitelist: it never
 * imports or runs anything. Globals are handed to {@link Hooks#global}, which returns a stand-in for the
 * few it knows (OrderedDict, the tensor rebuild functions, storage types) and null for the rest, which
 * then stay inert data. Every length read from the file is checked against the bytes actually left
 * before anything is allocated, and the machine is iterative, so forged input ends in a
 * {@link CheckpointException}, never in an OutOfMemoryError or a StackOverflowError.
 */
final class PickleReader {

	/** What the file may name and call, decided by the caller (the torch-specific whitelist). */
	interface Hooks {
		/** A stand-in for a whitelisted global, or null to keep it inert. */
		Object global(String module, String name);

		/** Calls a whitelisted stand-in with its arguments; only reached for stand-ins {@link #global} gave. */
		Object call(Object callable, Tuple args);

		/** Resolves a persistent id (PyTorch's storages). */
		Object persistentLoad(Object pid);

		/**
		 * A call of a global that is not on the whitelist: by default it becomes inert data (never run); a
		 * caller that expects no such calls may refuse the file instead.
		 */
		default Object inertCall(Global type, Tuple args) {
			return new Inert(type, new ArrayList<>(args.items));
		}
	}

	/** A whitelisted stand-in that takes the state a pickle's BUILD gives it (numpy's dtype). */
	interface Buildable {
		void setState(Object state);
	}

	/** Larger integers than this many bytes are not plausible in a checkpoint. */
	private static final int MAX_LONG_BYTES = 1 << 16;
	private static final int MAX_LINE = 1 << 16;

	private final byte[] data;
	private final int end;
	private int pos;
	private final Hooks hooks;
	private final String source;

	private final List<Object> stack = new ArrayList<>();
	private final List<Integer> marks = new ArrayList<>();
	private final Map<Long, Object> memo = new HashMap<>();

	PickleReader(byte[] data, int start, int end, Hooks hooks, String source) {
		this.data = data;
		this.pos = start;
		this.end = end;
		this.hooks = hooks;
		this.source = source;
	}

	/** Where the next pickle would start (legacy checkpoints hold several in a row). */
	int position() {
		return pos;
	}

	/** Reads one pickle up to its STOP. */
	Object load() {
		stack.clear();
		marks.clear();
		memo.clear();
		try {
			while (true) {
				int op = u8();
				switch (op) {
					case 0x80: u8(); break; // PROTO
					case 0x95: need(8); pos += 8; break; // FRAME: frames are only a read-ahead hint
					case '.': return pop(); // STOP
					case '(': marks.add(stack.size()); break; // MARK
					case '}': push(PickleValues.dict()); break;
					case ']': push(PickleValues.list()); break;
					case ')': push(new Tuple(new ArrayList<>())); break;
					case 0x8f: push(PickleValues.list()); break; // EMPTY_SET, kept as a list
					case 'N': push(null); break;
					case 0x88: push(Boolean.TRUE); break;
					case 0x89: push(Boolean.FALSE); break;
					case 'J': push((long) le(4)); break; // BININT
					case 'K': push((long) u8()); break; // BININT1
					case 'M': push((long) (le(2) & 0xffff)); break; // BININT2
					case 0x8a: push(longOf(u8())); break; // LONG1
					case 0x8b: push(longOf(length(le(4)))); break; // LONG4
					case 'G': push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); break;
					case 'I': push(textInt(line())); break;
					case 'L': push(textLong(line())); break;
					case 'F': push(textFloat(line())); break;
					case 'X': push(utf8(length(le(4)))); break; // BINUNICODE
					case 0x8c: push(utf8(u8())); break; // SHORT_BINUNICODE
					case 0x8d: push(utf8(length(le8()))); break; // BINUNICODE8
					case 'V': push(line()); break; // UNICODE (raw-unicode-escape; ASCII in practice)
					case 'T': push(latin1(length(le(4)))); break; // BINSTRING
					case 'U': push(latin1(u8())); break; // SHORT_BINSTRING
					case 'S': push(unquote(line())); break; // STRING
					case 'B': push(bytes(length(le(4)))); break; // BINBYTES
					case 'C': push(bytes(u8())); break; // SHORT_BINBYTES
					case 0x8e: push(bytes(length(le8()))); break; // BINBYTES8
					case 'c': { // GLOBAL
						String module = line(), name = line();
						push(global(module, name));
						break;
					}
					case 0x93: { // STACK_GLOBAL
						Object name = pop(), module = pop();
						if (!(module instanceof String) || !(name instanceof String)) throw malformed("STACK_GLOBAL needs two strings");
						push(global((String) module, (String) name));
						break;
					}
					case 'R': { // REDUCE
						Object args = pop(), callable = pop();
						push(call(callable, asTuple(args)));
						break;
					}
					case 0x81: { // NEWOBJ
						Object args = pop(), cls = pop();
						push(call(cls, asTuple(args)));
						break;
					}
					case 0x92: { // NEWOBJ_EX
						pop(); // kwargs
						Object args = pop(), cls = pop();
						push(call(cls, asTuple(args)));
						break;
					}
					case 'b': build(pop(), top()); break; // BUILD
					case 't': push(new Tuple(popToMark())); break;
					case 0x85: push(tupleOf(1)); break;
					case 0x86: push(tupleOf(2)); break;
					case 0x87: push(tupleOf(3)); break;
					case 'l': push(new ArrayList<>(popToMark())); break; // LIST
					case 'd': push(dictOf(popToMark())); break; // DICT
					case 'a': { // APPEND
						Object v = pop();
						listAt(top()).add(v);
						break;
					}
					case 'e': { // APPENDS
						List<Object> items = popToMark();
						listAt(top()).addAll(items);
						break;
					}
					case 0x90: { // ADDITEMS
						List<Object> items = popToMark();
						listAt(top()).addAll(items);
						break;
					}
					case 0x91: push(new ArrayList<>(popToMark())); break; // FROZENSET
					case 's': { // SETITEM
						Object v = pop(), k = pop();
						dictAt(top()).put(key(k), v);
						break;
					}
					case 'u': { // SETITEMS
						List<Object> kv = popToMark();
						if (kv.size() % 2 != 0) throw malformed("SETITEMS with an odd number of items");
						Map<Object, Object> d = dictAt(top());
						for (int i = 0; i < kv.size(); i += 2) d.put(key(kv.get(i)), kv.get(i + 1));
						break;
					}
					case 'q': memo.put((long) u8(), top()); break; // BINPUT
					case 'r': memo.put(le(4) & 0xffffffffL, top()); break; // LONG_BINPUT
					case 'p': memo.put(textLong(line()), top()); break; // PUT
					case 0x94: memo.put((long) memo.size(), top()); break; // MEMOIZE
					case 'h': push(memo((long) u8())); break; // BINGET
					case 'j': push(memo(le(4) & 0xffffffffL)); break; // LONG_BINGET
					case 'g': push(memo(textLong(line()))); break; // GET
					case 'Q': push(hooks.persistentLoad(pop())); break; // BINPERSID
					case 'P': push(hooks.persistentLoad(line())); break; // PERSID
					case '0': pop(); break; // POP
					case '1': popToMark(); break; // POP_MARK
					case '2': push(top()); break; // DUP
					case 'o': { // OBJ: class and args after a mark
						List<Object> items = popToMark();
						if (items.isEmpty()) throw malformed("OBJ without a class");
						push(call(items.get(0), new Tuple(items.subList(1, items.size()))));
						break;
					}
					case 'i': { // INST
						Object cls = global(line(), line());
						push(call(cls, new Tuple(popToMark())));
						break;
					}
					default:
						throw malformed(String.format("unknown or unsupported pickle opcode 0x%02x", op));
				}
			}
		}
		catch (CheckpointException e) {
			throw e;
		}
		catch (RuntimeException e) {
			// Whatever else forged data provokes (a wrong type where a list belongs, ...) is the file's fault.
			throw malformed(e.toString());
		}
	}

	private Object global(String module, String name) {
		Object standIn = hooks.global(module, name);
		return standIn != null ? standIn : new Global(module, name);
	}

	private Object call(Object callable, Tuple args) {
		if (callable instanceof Global) return hooks.inertCall((Global) callable, args);
		if (callable instanceof Inert) return new Inert(((Inert) callable).type, new ArrayList<>(args.items));
		if (callable == null || callable instanceof String || callable instanceof Number || callable instanceof Collection ||
			callable instanceof Map || callable instanceof Tuple || callable instanceof byte[]) {
			throw malformed("a " + (callable == null ? "None" : callable.getClass().getSimpleName()) + " cannot be called");
		}
		return hooks.call(callable, args);
	}

	/** BUILD sets an object's state. On a dict it is attribute state (a state_dict's _metadata), not items. */
	private void build(Object state, Object target) {
		if (target instanceof Inert) ((Inert) target).state = state;
		else if (target instanceof Buildable) ((Buildable) target).setState(state);
	}

	private static Tuple asTuple(Object args) {
		if (args instanceof Tuple) return (Tuple) args;
		if (args == null) return new Tuple(new ArrayList<>());
		if (args instanceof List) return new Tuple(castList(args));
		throw new CheckpointException("malformed pickle: call arguments are not a tuple");
	}

	@SuppressWarnings("unchecked")
	private static List<Object> castList(Object o) {
		return (List<Object>) o;
	}

	private static Object key(Object k) {
		// keys are strings or numbers in state dicts; anything else still needs a stable identity
		return k instanceof byte[] ? new String((byte[]) k, StandardCharsets.ISO_8859_1) : k;
	}

	private Tuple tupleOf(int n) {
		if (stack.size() - floor() < n) throw malformed("stack underflow");
		List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
		for (int i = 0; i < n; i++) stack.remove(stack.size() - 1);
		return new Tuple(items);
	}

	private Map<Object, Object> dictOf(List<Object> kv) {
		if (kv.size() % 2 != 0) throw malformed("DICT with an odd number of items");
		Map<Object, Object> d = PickleValues.dict();
		for (int i = 0; i < kv.size(); i += 2) d.put(key(kv.get(i)), kv.get(i + 1));
		return d;
	}

	@SuppressWarnings("unchecked")
	private List<Object> listAt(Object o) {
		if (o instanceof List) return (List<Object>) o;
		if (o instanceof Inert) return ((Inert) o).args;
		throw malformed("APPEND to a " + (o == null ? "None" : o.getClass().getSimpleName()));
	}

	@SuppressWarnings("unchecked")
	private Map<Object, Object> dictAt(Object o) {
		if (o instanceof Map) return (Map<Object, Object>) o;
		if (o instanceof Inert) {
			Inert inert = (Inert) o;
			if (!(inert.state instanceof Map)) inert.state = PickleValues.dict();
			return (Map<Object, Object>) inert.state;
		}
		throw malformed("SETITEM on a " + (o == null ? "None" : o.getClass().getSimpleName()));
	}

	private Object memo(long index) {
		if (!memo.containsKey(index)) throw malformed("memo entry " + index + " was never stored");
		return memo.get(index);
	}

	private int floor() {
		return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
	}

	private void push(Object o) {
		stack.add(o);
	}

	private Object pop() {
		if (stack.size() <= floor()) throw malformed("stack underflow");
		return stack.remove(stack.size() - 1);
	}

	private Object top() {
		if (stack.size() <= floor()) throw malformed("stack underflow");
		return stack.get(stack.size() - 1);
	}

	private List<Object> popToMark() {
		if (marks.isEmpty()) throw malformed("no MARK to pop to");
		int m = marks.remove(marks.size() - 1);
		List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
		while (stack.size() > m) stack.remove(stack.size() - 1);
		return items;
	}

	private void need(long n) {
		if (n < 0 || n > end - pos) throw malformed("truncated (needs " + n + " more bytes, " + (end - pos) + " left)");
	}

	/** A length read from the file, checked against what is left before anything is allocated. */
	private int length(long n) {
		need(n);
		return (int) n;
	}

	private int u8() {
		need(1);
		return data[pos++] & 0xff;
	}

	private int le(int n) {
		need(n);
		int v = 0;
		for (int i = 0; i < n; i++) v |= (data[pos + i] & 0xff) << (8 * i);
		pos += n;
		return v;
	}

	private long le8() {
		need(8);
		long v = 0;
		for (int i = 0; i < 8; i++) v |= (data[pos + i] & 0xffL) << (8 * i);
		pos += 8;
		return v;
	}

	private byte[] bytes(int n) {
		need(n);
		byte[] b = new byte[n];
		System.arraycopy(data, pos, b, 0, n);
		pos += n;
		return b;
	}

	private String utf8(int n) {
		need(n);
		String s = new String(data, pos, n, StandardCharsets.UTF_8);
		pos += n;
		return s;
	}

	private String latin1(int n) {
		need(n);
		String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
		pos += n;
		return s;
	}

	private String line() {
		int start = pos;
		while (pos < end && data[pos] != '\n') {
			if (pos - start > MAX_LINE) throw malformed("a text line longer than " + MAX_LINE + " bytes");
			pos++;
		}
		if (pos >= end) throw malformed("truncated text line");
		String s = new String(data, start, pos - start, StandardCharsets.ISO_8859_1);
		pos++;
		return s;
	}

	/** LONG1/LONG4: little-endian two's complement; a Long when it fits. */
	private Object longOf(int n) {
		if (n > MAX_LONG_BYTES) throw malformed("an integer of " + n + " bytes");
		byte[] le = bytes(n);
		if (n == 0) return 0L;
		byte[] be = new byte[n];
		for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
		BigInteger v = new BigInteger(be);
		return v.bitLength() < 64 ? (Object) v.longValue() : v;
	}

	private Object textInt(String s) {
		if (s.equals("01")) return Boolean.TRUE;
		if (s.equals("00")) return Boolean.FALSE;
		return textLong(s);
	}

	private long textLong(String s) {
		String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
		try {
			return Long.parseLong(t.trim());
		}
		catch (NumberFormatException e) {
			throw malformed("not an integer: " + abbreviate(s));
		}
	}

	private double textFloat(String s) {
		try {
			return Double.parseDouble(s.trim());
		}
		catch (NumberFormatException e) {
			throw malformed("not a number: " + abbreviate(s));
		}
	}

	private String unquote(String s) {
		if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0))
			return s.substring(1, s.length() - 1);
		throw malformed("STRING is not quoted: " + abbreviate(s));
	}

	private static String abbreviate(String s) {
		return s.length() > 40 ? s.substring(0, 40) + "..." : s;
	}

	private CheckpointException malformed(String what) {
		return new CheckpointException(source + " is not a readable PyTorch checkpoint: " + what + " (at byte " + pos + ").");
	}
}
