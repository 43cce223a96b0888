package dev.aperture.core.pytorch;

/**
 * Python pickle opcodes (protocols 0 to 5, as {@code pickletools} names them). Only those marked {@code allowed}
 * are interpreted: exactly the set {@code torch.load(weights_only=True)} accepts (PyTorch's
 * {@code torch/_weights_only_unpickler.py}), which is all {@code torch.save}'s protocol 2 uses. The others are
 * listed only so that a refusal can name what it met.
 */
enum PickleOpcode {
    // The weights-only subset.
    MARK('(', true), STOP('.', true), PROTO(0x80, true),
    GLOBAL('c', true), REDUCE('R', true), NEWOBJ(0x81, true), BUILD('b', true), BINPERSID('Q', true),
    EMPTY_TUPLE(')', true), TUPLE('t', true), TUPLE1(0x85, true), TUPLE2(0x86, true), TUPLE3(0x87, true),
    EMPTY_LIST(']', true), APPEND('a', true), APPENDS('e', true),
    EMPTY_DICT('}', true), SETITEM('s', true), SETITEMS('u', true), EMPTY_SET(0x8f, true),
    NONE('N', true), NEWTRUE(0x88, true), NEWFALSE(0x89, true),
    BININT('J', true), BININT1('K', true), BININT2('M', true), LONG1(0x8a, true), BINFLOAT('G', true),
    BINUNICODE('X', true), SHORT_BINSTRING('U', true),
    BINGET('h', true), LONG_BINGET('j', true), BINPUT('q', true), LONG_BINPUT('r', true),

    // Everything else pickle knows: refused.
    POP('0', false), POP_MARK('1', false), DUP('2', false),
    FLOAT('F', false), INT('I', false), LONG('L', false), LONG4(0x8b, false),
    STRING('S', false), BINSTRING('T', false), UNICODE('V', false),
    SHORT_BINUNICODE(0x8c, false), BINUNICODE8(0x8d, false),
    BINBYTES('B', false), SHORT_BINBYTES('C', false), BINBYTES8(0x8e, false), BYTEARRAY8(0x96, false),
    LIST('l', false), DICT('d', false), ADDITEMS(0x90, false), FROZENSET(0x91, false),
    GET('g', false), PUT('p', false), MEMOIZE(0x94, false), FRAME(0x95, false),
    INST('i', false), OBJ('o', false), STACK_GLOBAL(0x93, false), NEWOBJ_EX(0x92, false), PERSID('P', false),
    EXT1(0x82, false), EXT2(0x83, false), EXT4(0x84, false),
    NEXT_BUFFER(0x97, false), READONLY_BUFFER(0x98, false);

    private static final PickleOpcode[] BY_CODE = new PickleOpcode[256];

    static {
        for (PickleOpcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    final int code;
    final boolean allowed;

    PickleOpcode(int code, boolean allowed) {
        this.code = code;
        this.allowed = allowed;
    }

    /** The opcode with this byte value, or null for a byte that is no opcode at all. */
    static PickleOpcode of(int code) {
        return BY_CODE[code & 0xff];
    }

    /** {@code NAME (0xNN)}, as a refusal names it. */
    String describe() {
        return name() + String.format(" (0x%02x)", code);
    }
}
