package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter for the weights-only subset, in Java: the opcodes {@code torch.load(weights_only=True)}
 * accepts ({@link PickleOpcode}) and the globals of {@link AllowedGlobal}, nothing else. No name is ever looked
 * up and called: GLOBAL yields one of a fixed set of markers, and REDUCE/NEWOBJ/BUILD on a marker do what is written
 * here for it (make a dict, describe a tensor). Anything else is refused with a {@link FormatException} naming the
 * file, the opcode or global, and its byte offset.
 *
 * <p>Values: {@link String}, {@link Long} (or {@link BigInteger} past 64 bits), {@link Double}, {@link Boolean},
 * {@link PyNone}, {@link PyTuple}, {@link ArrayList} (list), {@link LinkedHashMap} (dict and OrderedDict),
 * {@link LinkedHashSet} (set), {@link AllowedGlobal}, {@link StorageRef}, {@link RebuiltTensor}.
 *
 * <p>The interpreter is a loop over a byte buffer with explicit stacks, so no input can overflow the Java stack;
 * its memory is bounded by {@link CheckpointLimits} (values pushed, MARK depth, memo entries, string length), each
 * checked before what it guards is allocated. Dict keys must be strings, numbers, booleans or None, so that no
 * hashing ever walks a (possibly cyclic) container.
 */
final class WeightsOnlyUnpickler {

    /** Resolves a persistent id ({@code ('storage', type, key, location, numel, ...)}) to a storage. */
    @FunctionalInterface
    interface StorageResolver {
        StorageRef resolve(PyTuple persistentId, String where);
    }

    /** What one pickle held, and the offset just past its STOP opcode. */
    record Result(Object value, long end) {
    }

    private static final int MAX_GLOBAL_LINE = 256;
    private static final int HIGHEST_PROTOCOL = 5;

    private final MemorySegment bytes;
    private final String where;
    private final CheckpointLimits limits;
    private final StorageResolver storages;

    private long position;
    private long opcodeStart;
    private ArrayList<Object> stack = new ArrayList<>();
    private final ArrayDeque<ArrayList<Object>> metastack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long valuesPushed;

    private WeightsOnlyUnpickler(MemorySegment bytes, long start, String where, CheckpointLimits limits,
                                 StorageResolver storages) {
        this.bytes = bytes;
        this.position = start;
        this.where = where;
        this.limits = limits;
        this.storages = storages;
    }

    /**
     * Interprets the pickle that starts at {@code start} in {@code bytes} (which may hold more after it).
     *
     * @param where names the pickle in messages, e.g. {@code pytorch_model.bin: data.pkl}
     * @throws FormatException        for an opcode or global outside the subset, or a malformed or truncated pickle
     * @throws ResourceLimitException when the pickle exceeds one of {@code limits}
     */
    static Result read(MemorySegment bytes, long start, String where, CheckpointLimits limits,
                       StorageResolver storages) {
        return new WeightsOnlyUnpickler(bytes, start, where, limits, storages).run();
    }

    private Result run() {
        long start = position;
        while (true) {
            if (position - start >= limits.maxPickleBytes()) {
                throw new ResourceLimitException(where + ": the pickle is longer than the limit of "
                        + limits.maxPickleBytes() + " bytes (CheckpointLimits.maxPickleBytes)");
            }
            opcodeStart = position;
            int code = readUnsignedByte("an opcode");
            PickleOpcode opcode = PickleOpcode.of(code);
            if (opcode == null) {
                throw error(String.format("byte 0x%02x is not a pickle opcode: the file is corrupt or not a pickle",
                        code));
            }
            if (!opcode.allowed) {
                throw error("opcode " + opcode.describe() + " is not allowed in a weights-only checkpoint"
                        + " (torch.load(weights_only=True) refuses it too)");
            }
            if (opcode == PickleOpcode.STOP) {
                return new Result(pop("STOP"), position);
            }
            execute(opcode);
        }
    }

    private void execute(PickleOpcode opcode) {
        switch (opcode) {
            case PROTO -> protocol(readUnsignedByte("PROTO's version"));
            case MARK -> mark();
            case GLOBAL -> push(global());
            case REDUCE -> reduce();
            case NEWOBJ -> newObject();
            case BUILD -> build();
            case BINPERSID -> push(storages.resolve(asTuple(pop("BINPERSID"), "a persistent id"), where));
            case EMPTY_TUPLE -> push(PyTuple.of());
            case TUPLE -> push(new PyTuple(popMark("TUPLE")));
            case TUPLE1 -> push(new PyTuple(popLast(1, "TUPLE1")));
            case TUPLE2 -> push(new PyTuple(popLast(2, "TUPLE2")));
            case TUPLE3 -> push(new PyTuple(popLast(3, "TUPLE3")));
            case EMPTY_LIST -> push(new ArrayList<>());
            case APPEND -> {
                Object item = pop("APPEND");
                listOnTop("APPEND").add(item);
            }
            case APPENDS -> {
                List<Object> items = popMark("APPENDS");
                listOnTop("APPENDS").addAll(items);
            }
            case EMPTY_DICT -> push(new LinkedHashMap<>());
            case SETITEM -> {
                Object value = pop("SETITEM");
                Object key = pop("SETITEM");
                putItem(dictOnTop("SETITEM"), key, value);
            }
            case SETITEMS -> setItems();
            case EMPTY_SET -> push(new LinkedHashSet<>());
            case NONE -> push(PyNone.NONE);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case BININT -> push((long) readInt32());
            case BININT1 -> push((long) readUnsignedByte("BININT1's value"));
            case BININT2 -> push((long) (readUnsignedByte("BININT2's value") | readUnsignedByte("BININT2's value") << 8));
            case LONG1 -> push(longOf(readBytes(readUnsignedByte("LONG1's length"), "LONG1")));
            case BINFLOAT -> push(ByteBuffer.wrap(readBytes(8, "BINFLOAT")).order(ByteOrder.BIG_ENDIAN).getDouble());
            case BINUNICODE -> push(readString(readUint32(), "BINUNICODE"));
            case SHORT_BINSTRING -> push(readString(readUnsignedByte("SHORT_BINSTRING's length"), "SHORT_BINSTRING"));
            case BINGET -> push(memoGet(readUnsignedByte("BINGET's index")));
            case LONG_BINGET -> push(memoGet(readUint32()));
            case BINPUT -> memoPut(readUnsignedByte("BINPUT's index"));
            case LONG_BINPUT -> memoPut(readUint32());
            default -> throw new IllegalStateException("unhandled opcode " + opcode);
        }
    }

    private void protocol(int version) {
        if (version > HIGHEST_PROTOCOL) {
            throw error("pickle protocol " + version + " is unknown (the highest is " + HIGHEST_PROTOCOL + ")");
        }
    }

    private void mark() {
        if (metastack.size() >= limits.maxPickleDepth()) {
            throw new ResourceLimitException(where + ": MARKs nest deeper than the limit of "
                    + limits.maxPickleDepth() + " at byte " + opcodeStart + " (CheckpointLimits.maxPickleDepth)");
        }
        metastack.push(stack);
        stack = new ArrayList<>();
    }

    private List<Object> popMark(String opcode) {
        if (metastack.isEmpty()) {
            throw error(opcode + " without a MARK before it");
        }
        List<Object> items = stack;
        stack = metastack.pop();
        return items;
    }

    /** GLOBAL reads "module\nname\n" and yields the marker of an allowed global, or refuses. */
    private AllowedGlobal global() {
        String module = readLine("GLOBAL's module");
        String name = readLine("GLOBAL's name");
        // Python 2 pickles spell a few modules the old way; name them as Python 3 does (torch maps them too).
        String pythonModule = switch (module) {
            case "__builtin__" -> "builtins";
            case "copy_reg" -> "copyreg";
            default -> module;
        };
        return AllowedGlobal.of(pythonModule, name).orElseThrow(() -> error("imports " + pythonModule + "." + name
                + (pythonModule.equals(module) ? "" : " (written " + module + " " + name + ")")
                + ", which is not allowed in a weights-only checkpoint; the allowed globals are "
                + AllowedGlobal.list()));
    }

    /** REDUCE calls the callable under its argument tuple: only the allowed ones, each written out here. */
    private void reduce() {
        PyTuple args = asTuple(pop("REDUCE"), "REDUCE's arguments");
        Object callable = pop("REDUCE");
        if (!(callable instanceof AllowedGlobal function) || function.storageType != null) {
            throw error("REDUCE calls " + describe(callable) + ", which is not callable in a weights-only checkpoint");
        }
        push(switch (function) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw error("collections.OrderedDict is called with " + args.size()
                            + " arguments; only OrderedDict() is supported");
                }
                yield new LinkedHashMap<>();
            }
            case REBUILD_TENSOR -> rebuildTensor(args, 4, 4, function);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args, 6, 7, function);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                int arity = function == AllowedGlobal.REBUILD_PARAMETER ? 3 : 4;
                if (args.size() != arity || !(args.get(0) instanceof RebuiltTensor data)) {
                    throw error(function.qualifiedName() + " needs " + arity + " arguments, a tensor first");
                }
                yield data; // a Parameter is its data; requires_grad and hooks do not matter for inference
            }
            default -> throw new IllegalStateException("unhandled global " + function);
        });
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private RebuiltTensor rebuildTensor(PyTuple args, int minArity, int maxArity, AllowedGlobal function) {
        String name = function.qualifiedName();
        if (args.size() < minArity || args.size() > maxArity) {
            throw error(name + " is called with " + args.size() + " arguments, expected " + minArity
                    + (maxArity > minArity ? " to " + maxArity : ""));
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw error(name + "'s first argument is " + describe(args.get(0)) + ", not a storage");
        }
        long offset = asLong(args.get(1), name + "'s storage offset");
        long[] shape = longs(args.get(2), name + "'s size");
        long[] strides = longs(args.get(3), name + "'s stride");
        return new RebuiltTensor(storage, offset, shape, strides);
    }

    private long[] longs(Object value, String what) {
        PyTuple tuple = asTuple(value, what);
        long[] result = new long[tuple.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = asLong(tuple.get(i), what + "[" + i + "]");
        }
        return result;
    }

    /** NEWOBJ: {@code cls.__new__(cls, *args)}, for OrderedDict only (an empty dict whatever the arguments). */
    private void newObject() {
        asTuple(pop("NEWOBJ"), "NEWOBJ's arguments");
        Object cls = pop("NEWOBJ");
        if (cls != AllowedGlobal.ORDERED_DICT) {
            throw error("NEWOBJ creates " + describe(cls) + "; only collections.OrderedDict may be created");
        }
        push(new LinkedHashMap<>());
    }

    /**
     * BUILD sets an object's state: allowed on a dict only (an OrderedDict state dict carries {@code _metadata}
     * this way), and the state, attributes the model never reads, is dropped.
     */
    private void build() {
        Object state = pop("BUILD");
        Object target = top("BUILD");
        if (!(target instanceof LinkedHashMap<?, ?>)) {
            throw error("BUILD sets the state of " + describe(target) + "; only a dict's may be set");
        }
        if (!(state instanceof LinkedHashMap<?, ?>) && state != PyNone.NONE) {
            throw error("BUILD gives a dict the state " + describe(state) + "; expected a dict of attributes");
        }
    }

    private void setItems() {
        List<Object> items = popMark("SETITEMS");
        if (items.size() % 2 != 0) {
            throw error("SETITEMS has an odd number of items (" + items.size() + ")");
        }
        Map<Object, Object> dict = dictOnTop("SETITEMS");
        for (int i = 0; i < items.size(); i += 2) {
            putItem(dict, items.get(i), items.get(i + 1));
        }
    }

    private void putItem(Map<Object, Object> dict, Object key, Object value) {
        boolean hashable = key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Double || key instanceof Boolean || key == PyNone.NONE;
        if (!hashable) {
            throw error("a dict key is " + describe(key) + "; keys must be strings, numbers, booleans or None");
        }
        dict.put(key, value);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dictOnTop(String opcode) {
        Object target = top(opcode);
        if (!(target instanceof LinkedHashMap<?, ?> dict)) {
            throw error(opcode + " on " + describe(target) + "; only a dict takes items");
        }
        return (Map<Object, Object>) dict;
    }

    @SuppressWarnings("unchecked")
    private List<Object> listOnTop(String opcode) {
        Object target = top(opcode);
        if (!(target instanceof ArrayList<?> list)) {
            throw error(opcode + " on " + describe(target) + "; only a list can be appended to");
        }
        return (List<Object>) list;
    }

    private Object memoGet(long index) {
        Object value = memo.get(index);
        if (value == null) {
            throw error("memo entry " + index + " is read but was never stored");
        }
        return value;
    }

    private void memoPut(long index) {
        Object value = top("PUT");
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
            throw new ResourceLimitException(where + ": more than " + limits.maxMemoEntries()
                    + " memo entries at byte " + opcodeStart + " (CheckpointLimits.maxMemoEntries)");
        }
        memo.put(index, value);
    }

    private void push(Object value) {
        if (++valuesPushed > limits.maxPickleValues()) {
            throw new ResourceLimitException(where + ": the pickle creates more than " + limits.maxPickleValues()
                    + " values (at byte " + opcodeStart + ", CheckpointLimits.maxPickleValues)");
        }
        stack.add(value);
    }

    private Object pop(String opcode) {
        if (stack.isEmpty()) {
            throw error(opcode + " finds no value on the stack" + (metastack.isEmpty() ? "" : " after the last MARK"));
        }
        return stack.removeLast();
    }

    private Object top(String opcode) {
        if (stack.isEmpty()) {
            throw error(opcode + " finds no value on the stack" + (metastack.isEmpty() ? "" : " after the last MARK"));
        }
        return stack.getLast();
    }

    private List<Object> popLast(int count, String opcode) {
        if (stack.size() < count) {
            throw error(opcode + " needs " + count + " values on the stack, there are " + stack.size());
        }
        List<Object> last = new ArrayList<>(stack.subList(stack.size() - count, stack.size()));
        stack.subList(stack.size() - count, stack.size()).clear();
        return last;
    }

    private PyTuple asTuple(Object value, String what) {
        if (!(value instanceof PyTuple tuple)) {
            throw error(what + " is " + describe(value) + ", not a tuple");
        }
        return tuple;
    }

    private long asLong(Object value, String what) {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof BigInteger) {
            throw error(what + " is " + value + ", too large for 64 bits");
        }
        throw error(what + " is " + describe(value) + ", not an integer");
    }

    // ---- reading the byte stream ----

    private int readUnsignedByte(String what) {
        require(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, position++) & 0xff;
    }

    private int readInt32() {
        return ByteBuffer.wrap(readBytes(4, "BININT")).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long readUint32() {
        return Integer.toUnsignedLong(ByteBuffer.wrap(readBytes(4, "a 4-byte argument"))
                .order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    /** A UTF-8 string of {@code length} bytes, checked to be there and within the string limit before allocating. */
    private String readString(long length, String what) {
        require(length, what);
        if (length > limits.maxStringBytes()) {
            throw new ResourceLimitException(where + ": " + what + " at byte " + opcodeStart + " is " + length
                    + " bytes long, over the limit of " + limits.maxStringBytes()
                    + " bytes (CheckpointLimits.maxStringBytes)");
        }
        return utf8(readBytes(length, what));
    }

    /** {@code length} bytes (at most 255 but for strings, which {@link #readString} bounds first). */
    private byte[] readBytes(long length, String what) {
        require(length, what);
        byte[] result = new byte[(int) length];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, result, 0, result.length);
        position += length;
        return result;
    }

    private String readLine(String what) {
        long end = position;
        while (end < bytes.byteSize() && end - position <= MAX_GLOBAL_LINE
                && bytes.get(ValueLayout.JAVA_BYTE, end) != '\n') {
            end++;
        }
        if (end >= bytes.byteSize()) {
            throw error("the pickle ends inside " + what + ": it is truncated");
        }
        if (end - position > MAX_GLOBAL_LINE) {
            throw error(what + " is longer than " + MAX_GLOBAL_LINE + " bytes");
        }
        String line = readString(end - position, what);
        position++; // the newline
        return line;
    }

    private void require(long length, String what) {
        long remaining = bytes.byteSize() - position;
        if (length > remaining) {
            throw error(what + " needs " + length + " bytes, but only " + remaining
                    + " remain before the end: the pickle is truncated");
        }
    }

    private String utf8(byte[] encoded) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(encoded)).toString();
        } catch (CharacterCodingException e) {
            throw error("a string is not valid UTF-8");
        }
    }

    /** LONG1's little-endian two's complement integer: a Long when it fits. */
    private static Object longOf(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        BigInteger value = bigEndian.length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    /** A value's kind, for messages; never its contents (a container may be huge or contain itself). */
    private static String describe(Object value) {
        return switch (value) {
            case AllowedGlobal global -> global.qualifiedName();
            case String text -> "a string";
            case Long number -> "the integer " + number;
            case BigInteger number -> "a large integer";
            case Double number -> "a float";
            case Boolean flag -> flag ? "True" : "False";
            case PyNone none -> "None";
            case PyTuple tuple -> "a tuple of " + tuple.size();
            case ArrayList<?> list -> "a list";
            case LinkedHashMap<?, ?> dict -> "a dict";
            case LinkedHashSet<?> set -> "a set";
            case StorageRef storage -> "storage '" + storage.key() + "'";
            case RebuiltTensor tensor -> "a tensor";
            default -> value.getClass().getSimpleName();
        };
    }

    private FormatException error(String message) {
        return new FormatException(where + ", byte " + opcodeStart + ": " + message);
    }
}
