package dev.aperture.models.protobuf;

import dev.aperture.core.FormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over protobuf wire-format bytes: just enough of the encoding to read ONNX models and SentencePiece
 * models without a protobuf library. A message is a sequence of fields, each a varint tag {@code (fieldNumber << 3) | wireType} followed by
 * a varint (type 0), 8 bytes (1), a varint length and that many bytes (2: strings, bytes, sub-messages, packed
 * repeated numbers) or 4 bytes (5). Every length is checked against the bytes left before anything is sliced or
 * allocated, so a corrupt file fails with a {@link FormatException} instead of reading past the end or exhausting
 * memory.
 */
public final class ProtoReader {
    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment bytes;
    private final String source;
    private long position;

    /**
     * Reads all of {@code bytes}; {@code source} names the file and its format in error messages
     * ("ONNX file model.onnx"), which read "Malformed " + source + ": ...".
     */
    public ProtoReader(MemorySegment bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    public boolean hasMore() {
        return position < bytes.byteSize();
    }

    /** Offset of the cursor from the start of this message, for error messages. */
    public long position() {
        return position;
    }

    /** The next field's tag; split it with {@link #fieldNumber} and {@link #wireType}. */
    public int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || fieldNumber((int) tag) == 0) {
            throw malformed("invalid field tag " + tag);
        }
        return (int) tag;
    }

    /** The next tag without consuming it (0 when it is not a valid varint). */
    public int peekTag() {
        long saved = position;
        try {
            long tag = readVarint();
            return tag > 0 && tag <= Integer.MAX_VALUE ? (int) tag : 0;
        } catch (FormatException e) {
            return 0;
        } finally {
            position = saved;
        }
    }

    public static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    public static int wireType(int tag) {
        return tag & 7;
    }

    /** A base-128 varint: 7 bits per byte, low group first, high bit set on all but the last byte (at most 10). */
    public long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= bytes.byteSize()) {
                throw malformed("truncated varint");
            }
            byte b = bytes.get(ValueLayout.JAVA_BYTE, position++);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    /** The bytes of a length-delimited field, in place (no copy), after checking they lie inside the message. */
    public MemorySegment readLengthDelimited() {
        long length = readVarint();
        long remaining = bytes.byteSize() - position;
        if (length < 0 || length > remaining) {
            throw malformed("field length " + Long.toUnsignedString(length) + " exceeds the " + remaining
                    + " bytes left");
        }
        MemorySegment slice = bytes.asSlice(position, length);
        position += length;
        return slice;
    }

    /** A nested message as a reader of its own. */
    public ProtoReader readMessage() {
        return new ProtoReader(readLengthDelimited(), source);
    }

    /** A string field, which protobuf defines as UTF-8; malformed UTF-8 is a {@link FormatException}. */
    public String readString() {
        MemorySegment slice = readLengthDelimited();
        if (slice.byteSize() > Integer.MAX_VALUE - 8) {
            throw malformed("string of " + slice.byteSize() + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(slice.asByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw malformed("string field that is not valid UTF-8");
        }
    }

    /** A bytes field, copied. */
    public byte[] readBytes() {
        MemorySegment slice = readLengthDelimited();
        if (slice.byteSize() > Integer.MAX_VALUE - 8) {
            throw malformed("bytes field of " + slice.byteSize() + " bytes");
        }
        return slice.toArray(ValueLayout.JAVA_BYTE);
    }

    public float readFixed32Float() {
        requireBytes(4);
        float value = bytes.get(F32_LE, position);
        position += 4;
        return value;
    }

    /** Skips a field whose number this reader does not need. Groups (wire types 3, 4) are rejected. */
    public void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> readLengthDelimited();
            case FIXED32 -> advance(4);
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    /**
     * A repeated int64 field, which writers store either packed (one length-delimited run of varints) or as
     * one varint per occurrence; appends to {@code out}.
     */
    public void readInt64s(int wireType, LongList out) {
        if (wireType == VARINT) {
            out.add(readVarint());
        } else if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = readMessage();
            while (packed.hasMore()) {
                out.add(packed.readVarint());
            }
        } else {
            throw malformed("repeated int64 field with wire type " + wireType);
        }
    }

    public FormatException malformed(String problem) {
        return new FormatException("Malformed " + source + ": " + problem + " at offset " + position
                + " of a " + bytes.byteSize() + "-byte message");
    }

    private void advance(long count) {
        requireBytes(count);
        position += count;
    }

    private void requireBytes(long count) {
        if (bytes.byteSize() - position < count) {
            throw malformed("truncated field: " + count + " bytes needed, " + (bytes.byteSize() - position) + " left");
        }
    }

    /** A growable list of longs (tensor dims), to avoid boxing. */
    public static final class LongList {
        private long[] values = new long[4];
        private int size;

        public void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        public int size() {
            return size;
        }

        public long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
