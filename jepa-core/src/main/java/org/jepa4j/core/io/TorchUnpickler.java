package org.jepa4j.core.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safe subset of Python's unpickler (protocols 2 to 4) for the {@code data.pkl} record of {@code torch.save}
 * archives. Nothing is ever executed: every {@code GLOBAL} must be on a whitelist, and whitelisted names are
 * interpreted by this class (an {@code OrderedDict} becomes a {@link LinkedHashMap}, {@code _rebuild_tensor_v2} a
 * {@link TorchTensor}) or kept as an inert {@link PickleObject}. Any other global fails with the global's name.
 *
 * <p>Decoded values: dict to {@link LinkedHashMap}, list to {@link ArrayList}, tuple to an unmodifiable list, str to
 * {@link String}, int to {@link Long} (or {@link BigInteger}), float to {@link Double}, bool to {@link Boolean},
 * None to {@code null}, bytes to {@code byte[]}, set to a list.
 */
final class TorchUnpickler {

    /** Storage classes named in persistent ids, by the element type of their records. */
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("torch.DoubleStorage", DType.F64), Map.entry("torch.FloatStorage", DType.F32),
            Map.entry("torch.HalfStorage", DType.F16), Map.entry("torch.BFloat16Storage", DType.BF16),
            Map.entry("torch.LongStorage", DType.I64), Map.entry("torch.IntStorage", DType.I32),
            Map.entry("torch.ShortStorage", DType.I16), Map.entry("torch.CharStorage", DType.I8),
            Map.entry("torch.ByteStorage", DType.U8), Map.entry("torch.BoolStorage", DType.BOOL));

    /** Callables this class interprets itself. */
    private static final Set<String> INTERPRETED = Set.of("collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "builtins.set", "builtins.frozenset", "__builtin__.set",
            "torch.Size", "_codecs.encode");

    /** Harmless classes and values kept as {@link PickleObject} placeholders (none of them holds a tensor). */
    static final Set<String> DEFAULT_OPAQUE = Set.of("argparse.Namespace", "numpy.core.multiarray.scalar",
            "numpy._core.multiarray.scalar", "numpy.dtype", "torch.device", "builtins.slice", "builtins.complex",
            "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath", "datetime.datetime",
            "datetime.date", "datetime.timedelta", "torch.float64", "torch.float32", "torch.float16",
            "torch.bfloat16", "torch.int64", "torch.int32", "torch.int16", "torch.int8", "torch.uint8",
            "torch.bool");

    /** The storage a persistent id names. */
    private record Storage(String key, DType dtype, long elements) {}

    private final Path file;
    private final ByteBuffer in;
    private final Set<String> opaque;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * Prepares to decode one pickle.
     *
     * @param file the checkpoint, for error messages
     * @param data the pickle bytes
     * @param extraOpaque further {@code module.name} globals to keep as placeholders
     */
    TorchUnpickler(Path file, byte[] data, Set<String> extraOpaque) {
        this.file = file;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Set<String> all = new HashSet<>(DEFAULT_OPAQUE);
        all.addAll(extraOpaque);
        this.opaque = all;
    }

    /**
     * Decodes the pickle.
     *
     * @return the top-level value
     * @throws TorchCheckpointException for a malformed pickle, an unsupported opcode or a refused global
     */
    Object load() throws TorchCheckpointException {
        try {
            while (true) {
                int pos = in.position();
                int op = in.get() & 0xFF;
                if (op == '.') { // STOP
                    return pop();
                }
                step(op, pos);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw fail("data.pkl ends in the middle of an instruction (truncated?)");
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException | NullPointerException
                | ArithmeticException e) {
            throw fail("malformed data.pkl near byte " + in.position() + ": " + e.getMessage());
        }
    }

    private void step(int op, int pos) throws TorchCheckpointException {
        switch (op) {
            case 0x80 -> in.get(); // PROTO n
            case 0x95 -> in.getLong(); // FRAME length
            case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
            case ']' -> push(new ArrayList<>()); // EMPTY_LIST
            case ')' -> push(tuple(List.of())); // EMPTY_TUPLE
            case 0x8f -> push(new ArrayList<>()); // EMPTY_SET
            case '(' -> marks.add(stack.size()); // MARK
            case 'X' -> push(utf8(in.getInt())); // BINUNICODE
            case 0x8c -> push(utf8(in.get() & 0xFF)); // SHORT_BINUNICODE
            case 0x8d -> push(utf8(length(in.getLong()))); // BINUNICODE8
            case 'T' -> push(latin1(in.getInt())); // BINSTRING
            case 'U' -> push(latin1(in.get() & 0xFF)); // SHORT_BINSTRING
            case 'B' -> push(bytes(in.getInt())); // BINBYTES
            case 'C' -> push(bytes(in.get() & 0xFF)); // SHORT_BINBYTES
            case 'J' -> push((long) in.getInt()); // BININT
            case 'K' -> push((long) (in.get() & 0xFF)); // BININT1
            case 'M' -> push((long) (in.getShort() & 0xFFFF)); // BININT2
            case 0x8a -> push(longValue(bytes(in.get() & 0xFF))); // LONG1
            case 0x8b -> push(longValue(bytes(in.getInt()))); // LONG4
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
            case 0x88 -> push(Boolean.TRUE); // NEWTRUE
            case 0x89 -> push(Boolean.FALSE); // NEWFALSE
            case 'N' -> push(null); // NONE
            case 0x85 -> push(tuple(popN(1))); // TUPLE1
            case 0x86 -> push(tuple(popN(2))); // TUPLE2
            case 0x87 -> push(tuple(popN(3))); // TUPLE3
            case 't' -> push(tuple(popMark())); // TUPLE
            case 'l' -> push(new ArrayList<>(popMark())); // LIST
            case 'd' -> push(dict(popMark())); // DICT
            case 0x91 -> push(new ArrayList<>(popMark())); // FROZENSET
            case 's' -> { // SETITEM
                Object value = pop();
                Object key = pop();
                asMap(peek()).put(key, value);
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                asMap(peek()).putAll(dict(items));
            }
            case 'a' -> { // APPEND
                Object value = pop();
                asList(peek()).add(value);
            }
            case 'e', 0x90 -> { // APPENDS, ADDITEMS
                List<Object> items = popMark();
                asList(peek()).addAll(items);
            }
            case 'q' -> memo.put((long) (in.get() & 0xFF), peek()); // BINPUT
            case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'h' -> push(memo((long) (in.get() & 0xFF))); // BINGET
            case 'j' -> push(memo(in.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'c' -> push(global(line() + "." + line())); // GLOBAL
            case 0x93 -> { // STACK_GLOBAL
                String name = (String) pop();
                String module = (String) pop();
                push(global(module + "." + name));
            }
            case 'R' -> { // REDUCE
                List<Object> args = asList(pop());
                push(call(pop(), args));
            }
            case 0x81 -> { // NEWOBJ
                List<Object> args = asList(pop());
                push(call(pop(), args));
            }
            case 'b' -> { // BUILD
                Object state = pop();
                push(build(pop(), state));
            }
            case 'Q' -> push(persistent(pop())); // BINPERSID
            default -> throw fail(String.format("unsupported pickle opcode 0x%02x at byte %d (only the binary "
                    + "protocols 2-4 as written by torch.save are read)", op, pos));
        }
    }

    // ---- globals and calls: the only place where names turn into behaviour ----

    private PickleObject global(String name) throws TorchCheckpointException {
        if (STORAGES.containsKey(name) || INTERPRETED.contains(name) || opaque.contains(name)) {
            return new PickleObject(name, List.of(), null);
        }
        throw fail("refuses the Python global '" + name + "': it is not on the whitelist of tensor, container and "
                + "harmless value types (jepa4j never executes pickled code). Save a plain state dict "
                + "(model.state_dict()) instead of a whole object" + (name.startsWith("torch.")
                ? "; tensors of this kind (quantized, sparse, subclasses) are not supported" : ""));
    }

    private Object call(Object callable, List<Object> args) throws TorchCheckpointException {
        if (!(callable instanceof PickleObject f) || !f.args().isEmpty() || f.state() != null) {
            throw fail("a pickle calls " + describe(callable) + ", which is not a whitelisted global");
        }
        switch (f.global()) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) != null) {
                    for (Object pair : asList(args.get(0))) {
                        map.put(asList(pair).get(0), asList(pair).get(1));
                    }
                }
                return map;
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                return tensor(args);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (!(args.get(0) instanceof TorchTensor t)) {
                    throw fail("_rebuild_parameter expects a tensor, got " + describe(args.get(0)));
                }
                return t;
            }
            case "builtins.set", "builtins.frozenset", "__builtin__.set" -> {
                return args.isEmpty() ? new ArrayList<>() : new ArrayList<>(asList(args.get(0)));
            }
            case "torch.Size" -> {
                return tuple(args.isEmpty() ? List.of() : asList(args.get(0)));
            }
            case "_codecs.encode" -> { // protocol 2 pickles bytes as encode(latin-1 text, 'latin1')
                return ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                if (STORAGES.containsKey(f.global())) {
                    throw fail("constructing " + f.global() + " directly is not supported (storages are read "
                            + "through persistent ids)");
                }
                return new PickleObject(f.global(), args, null);
            }
        }
    }

    private Object build(Object target, Object state) throws TorchCheckpointException {
        if (target instanceof PickleObject p && !INTERPRETED.contains(p.global())
                && !STORAGES.containsKey(p.global())) {
            return p.withState(state);
        }
        if (target instanceof Map<?, ?>) {
            return target; // OrderedDict attributes such as a state dict's _metadata: not needed
        }
        throw fail("a pickle sets the state of " + describe(target) + ", which jepa4j does not support");
    }

    private Storage persistent(Object pid) throws TorchCheckpointException {
        List<Object> id = asList(pid);
        if (id.size() != 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof PickleObject type)
                || !(id.get(2) instanceof String key) || !(id.get(4) instanceof Long elements)) {
            throw fail("unsupported persistent id " + id + " (expected ('storage', type, key, location, numel))");
        }
        DType dtype = STORAGES.get(type.global());
        if (dtype == null) {
            throw fail("unsupported storage type " + type.global());
        }
        if (elements < 0) {
            throw fail("storage '" + key + "' has a negative size " + elements);
        }
        return new Storage(key, dtype, elements);
    }

    private TorchTensor tensor(List<Object> args) throws TorchCheckpointException {
        if (args.size() < 4 || !(args.get(0) instanceof Storage s)) {
            throw fail("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...), got " + args);
        }
        long offset = (Long) args.get(1);
        long[] shape = longs(asList(args.get(2)));
        long[] stride = longs(asList(args.get(3)));
        if (shape.length != stride.length || offset < 0) {
            throw fail("tensor in storage '" + s.key() + "' has size " + Arrays.toString(shape) + ", stride "
                    + Arrays.toString(stride) + " and offset " + offset + ": inconsistent");
        }
        long last = offset;
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw fail("tensor in storage '" + s.key() + "' has a negative size or stride");
            }
            count = Math.multiplyExact(count, shape[i]);
            last = Math.addExact(last, Math.multiplyExact(Math.max(shape[i] - 1, 0), stride[i]));
        }
        if (count > 0 && last >= s.elements()) {
            throw fail("tensor of size " + Arrays.toString(shape) + " (stride " + Arrays.toString(stride)
                    + ", offset " + offset + ") reaches element " + last + " of storage '" + s.key() + "', which has "
                    + s.elements());
        }
        return new TorchTensor(s.key(), s.dtype(), s.elements(), offset, shape, stride);
    }

    // ---- stack helpers ----

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.get(marks.size() - 1))) {
            throw new IllegalArgumentException("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        if (stack.size() < n) {
            throw new IllegalArgumentException("stack underflow");
        }
        List<Object> top = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return top;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new IllegalArgumentException("no MARK on the stack");
        }
        int start = marks.remove(marks.size() - 1);
        return popN(stack.size() - start);
    }

    private Object memo(long index) {
        if (!memo.containsKey(index)) {
            throw new IllegalArgumentException("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    // ---- decoding helpers ----

    private String line() {
        StringBuilder sb = new StringBuilder();
        for (byte b = in.get(); b != '\n'; b = in.get()) {
            sb.append((char) (b & 0xFF));
        }
        return sb.toString();
    }

    private int length(long n) {
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n + " exceeds the " + in.remaining() + " bytes left");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private static Object longValue(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be); // two's complement
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static Map<Object, Object> dict(List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new IllegalArgumentException("odd number of dict items");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a dict, found " + describe(o));
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        if (!(o instanceof List<?>)) {
            throw new IllegalArgumentException("expected a list or tuple, found " + describe(o));
        }
        return (List<Object>) o;
    }

    private static long[] longs(List<Object> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) values.get(i);
        }
        return out;
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof PickleObject p) {
            return p.global();
        }
        return o.getClass().getSimpleName();
    }

    private TorchCheckpointException fail(String problem) {
        return new TorchCheckpointException(file, problem);
    }
}
