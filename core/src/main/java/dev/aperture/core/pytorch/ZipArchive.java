package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a zip archive held in a (memory-mapped) segment, read from its central directory, ZIP64 included.
 * Only what a PyTorch checkpoint needs: names, sizes, and the bytes of STORED (uncompressed) entries as slices of
 * the segment, so a storage maps straight out of the file. A compressed entry is refused when read: torch writes
 * every record STORED (aligned to 64 bytes), so a compressed one means the file was not written by torch.save,
 * and inflating it would let a few KB claim gigabytes.
 *
 * <p>Every offset and size is checked against the segment before use; the sizes in local headers are ignored
 * (torch's writer leaves them zero and puts them in data descriptors), those of the central directory count.
 */
final class ZipArchive {
    static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    private static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int END_RECORD_BYTES = 22;
    private static final int MAX_COMMENT_BYTES = 0xffff;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One central-directory entry. */
    record Entry(String name, int method, int flags, long size, long compressedSize, long localHeaderOffset) {
    }

    private final MemorySegment file;
    private final String fileName;
    private final Map<String, Entry> entries;

    private ZipArchive(MemorySegment file, String fileName, Map<String, Entry> entries) {
        this.file = file;
        this.fileName = fileName;
        this.entries = entries;
    }

    /**
     * Reads the central directory of the archive {@code file}.
     *
     * @param maxEntries the most entries accepted (a storage per tensor, plus a few records)
     * @throws FormatException        when the archive is truncated or corrupt
     * @throws ResourceLimitException when it has more than {@code maxEntries} entries
     */
    static ZipArchive read(MemorySegment file, String fileName, long maxEntries) {
        long end = findEndRecord(file, fileName);
        long count = u16(file, end + 10);
        long directorySize = u32(file, end + 12);
        long directoryOffset = u32(file, end + 16);
        long locator = end - 20;
        if (locator >= 0 && u32(file, locator) == ZIP64_LOCATOR_SIGNATURE) {
            long zip64End = u64(file, locator + 8);
            if (zip64End < 0 || zip64End > file.byteSize() - 56 || u32(file, zip64End) != ZIP64_END_SIGNATURE) {
                throw corrupt(fileName, "its ZIP64 end record is missing or out of range");
            }
            count = u64(file, zip64End + 32);
            directorySize = u64(file, zip64End + 40);
            directoryOffset = u64(file, zip64End + 48);
        }
        if (count < 0 || count > maxEntries) {
            throw new ResourceLimitException(fileName + ": the zip archive declares " + Long.toUnsignedString(count)
                    + " entries, over the limit of " + maxEntries + " (CheckpointLimits.maxTensors, plus records)");
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset > end || directorySize > end - directoryOffset) {
            throw corrupt(fileName, "its central directory lies outside the file");
        }
        return new ZipArchive(file, fileName, readDirectory(file, fileName, directoryOffset, directorySize, count));
    }

    /** Whether the bytes start like a zip archive (a local file header). */
    static boolean startsLikeOne(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** The entry names in directory order. */
    Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The bytes of a STORED entry, in place.
     *
     * @throws FormatException when the entry is compressed or encrypted, or its data lies outside the file
     */
    MemorySegment data(Entry entry) {
        if ((entry.flags() & 1) != 0) {
            throw new FormatException(fileName + ": zip entry " + entry.name() + " is encrypted");
        }
        if (entry.method() != STORED) {
            throw new FormatException(fileName + ": zip entry " + entry.name() + " is compressed ("
                    + (entry.method() == DEFLATED ? "DEFLATE" : "method " + entry.method()) + "); torch.save stores"
                    + " every record uncompressed (STORED), so this is not a checkpoint torch wrote, and compressed"
                    + " records are refused (a few KB can inflate to gigabytes)");
        }
        long header = entry.localHeaderOffset();
        if (header < 0 || header > file.byteSize() - 30 || u32(file, header) != LOCAL_HEADER_SIGNATURE) {
            throw corrupt(fileName, "the local header of " + entry.name() + " is missing or out of range");
        }
        long dataStart = header + 30 + u16(file, header + 26) + u16(file, header + 28);
        if (entry.size() != entry.compressedSize() || entry.size() < 0 || dataStart > file.byteSize()
                || entry.size() > file.byteSize() - dataStart) {
            throw corrupt(fileName, "the data of " + entry.name() + " (" + entry.size()
                    + " bytes) does not fit in the file: is it truncated?");
        }
        return file.asSlice(dataStart, entry.size());
    }

    private static long findEndRecord(MemorySegment file, String fileName) {
        long last = file.byteSize() - END_RECORD_BYTES;
        long first = Math.max(0, last - MAX_COMMENT_BYTES);
        for (long at = last; at >= first; at--) {
            if (u32(file, at) == END_SIGNATURE && at + END_RECORD_BYTES + u16(file, at + 20) == file.byteSize()) {
                return at;
            }
        }
        throw corrupt(fileName, "no end-of-central-directory record: the zip archive is truncated or corrupt");
    }

    private static Map<String, Entry> readDirectory(MemorySegment file, String fileName, long offset, long size,
                                                    long count) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        long at = offset;
        long end = offset + size;
        for (long i = 0; i < count; i++) {
            if (at > end - 46 || u32(file, at) != CENTRAL_HEADER_SIGNATURE) {
                throw corrupt(fileName, "central directory entry " + i + " is missing or corrupt");
            }
            int nameLength = u16(file, at + 28);
            int extraLength = u16(file, at + 30);
            int commentLength = u16(file, at + 32);
            long next = at + 46 + nameLength + extraLength + commentLength;
            if (next > end) {
                throw corrupt(fileName, "central directory entry " + i + " runs past the directory");
            }
            String name = new String(file.asSlice(at + 46, nameLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            long[] sizes = {u32(file, at + 24), u32(file, at + 20), u32(file, at + 42)};
            readZip64Sizes(file, fileName, name, at + 46 + nameLength, extraLength, sizes);
            Entry entry = new Entry(name, u16(file, at + 10), u16(file, at + 8), sizes[0], sizes[1], sizes[2]);
            if (entries.putIfAbsent(name, entry) != null) {
                throw corrupt(fileName, "the entry " + name + " appears twice");
            }
            at = next;
        }
        return Collections.unmodifiableMap(entries);
    }

    /**
     * ZIP64 extra field (id 1): the 64-bit uncompressed size, compressed size and header offset, each present only
     * when its 32-bit field reads 0xFFFFFFFF, in that order.
     */
    private static void readZip64Sizes(MemorySegment file, String fileName, String name, long extra, int length,
                                       long[] sizes) {
        long end = extra + length;
        for (long at = extra; at + 4 <= end; ) {
            int id = u16(file, at);
            int fieldLength = u16(file, at + 2);
            if (at + 4 + fieldLength > end) {
                throw corrupt(fileName, "an extra field of " + name + " runs past its entry");
            }
            if (id == 1) {
                long value = at + 4;
                for (int i = 0; i < sizes.length; i++) {
                    if (sizes[i] == 0xffffffffL) {
                        if (value + 8 > at + 4 + fieldLength) {
                            throw corrupt(fileName, "the ZIP64 field of " + name + " is too short");
                        }
                        sizes[i] = u64(file, value);
                        value += 8;
                    }
                }
            }
            at += 4 + fieldLength;
        }
    }

    private static FormatException corrupt(String fileName, String what) {
        return new FormatException(fileName + ": not a readable zip archive: " + what);
    }

    private static int u16(MemorySegment file, long at) {
        return file.get(U16, at) & 0xffff;
    }

    private static long u32(MemorySegment file, long at) {
        return Integer.toUnsignedLong(file.get(U32, at));
    }

    /** A ZIP64 64-bit field; values of 2^63 or more read as negative and fail the range checks that follow. */
    private static long u64(MemorySegment file, long at) {
        return file.get(U64, at);
    }
}
