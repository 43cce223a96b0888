package dev.aperture.testkit;

import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict the way {@code torch.save} does since PyTorch 1.6, for tests and benchmarks (torch itself is
 * not available here): a zip archive {@code <name>/data.pkl} (protocol 2: an OrderedDict of
 * {@code _rebuild_tensor_v2} calls, one persistent id per storage), {@code <name>/byteorder},
 * {@code <name>/data/<key>} STORED and 64-byte aligned as torch aligns them, and {@code <name>/version}. Each
 * tensor gets a storage of its own. Not part of the product: Aperture reads PyTorch checkpoints, it writes
 * safetensors.
 */
public final class TorchZipWriter {
    private static final int ALIGNMENT = 64;
    private static final Map<DType, String> STORAGE_CLASSES = Map.of(DType.F32, "FloatStorage", DType.F16,
            "HalfStorage", DType.BF16, "BFloat16Storage", DType.F64, "DoubleStorage", DType.I64, "LongStorage",
            DType.I32, "IntStorage", DType.I16, "ShortStorage", DType.I8, "CharStorage", DType.U8, "ByteStorage",
            DType.BOOL, "BoolStorage");

    private TorchZipWriter() {
    }

    /** Writes every tensor of {@code source} (little-endian) to {@code file}. */
    public static void write(Path file, TensorSource source) {
        write(file, source, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes every tensor of {@code source} to {@code file}, storages in {@code order}. */
    public static void write(Path file, TensorSource source, ByteOrder order) {
        List<TensorView> tensors = new ArrayList<>();
        source.names().forEach(name -> tensors.add(source.tensor(name)));
        String folder = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        try (CountingStream counting = new CountingStream(Files.newOutputStream(file));
             ZipOutputStream zip = new ZipOutputStream(counting)) {
            storedEntry(zip, counting, folder + "/data.pkl", dataPickle(tensors));
            storedEntry(zip, counting, folder + "/byteorder",
                    (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big").getBytes(StandardCharsets.US_ASCII));
            for (int key = 0; key < tensors.size(); key++) {
                storedEntry(zip, counting, folder + "/data/" + key, bytes(tensors.get(key), order));
            }
            storedEntry(zip, counting, folder + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state dict pickle: {@code OrderedDict(name -> _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()))}. */
    static byte[] dataPickle(List<TensorView> tensors) {
        PickleBuilder pickle = new PickleBuilder().proto(2).global("collections", "OrderedDict").emptyTuple()
                .reduce().mark();
        for (int key = 0; key < tensors.size(); key++) {
            TensorView tensor = tensors.get(key);
            long[] shape = tensor.shape();
            long[] strides = new long[shape.length];
            long stride = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= shape[i];
            }
            pickle.unicode(tensor.name()).global("torch._utils", "_rebuild_tensor_v2").mark()
                    .mark().unicode("storage").global("torch", STORAGE_CLASSES.get(tensor.dtype()))
                    .unicode(Integer.toString(key)).unicode("cpu").integer(tensor.elementCount()).tuple().persistentId()
                    .integer(0).tuple(shape).tuple(strides).bool(false)
                    .global("collections", "OrderedDict").emptyTuple().reduce()
                    .tuple().reduce();
        }
        return pickle.setItems().stop().toByteArray();
    }

    private static byte[] bytes(TensorView tensor, ByteOrder order) {
        byte[] bytes = tensor.data().toArray(ValueLayout.JAVA_BYTE);
        int width = tensor.dtype().byteSize();
        if (order == ByteOrder.BIG_ENDIAN && width > 1) {
            for (int start = 0; start < bytes.length; start += width) {
                for (int i = 0; i < width / 2; i++) {
                    byte swap = bytes[start + i];
                    bytes[start + i] = bytes[start + width - 1 - i];
                    bytes[start + width - 1 - i] = swap;
                }
            }
        }
        return bytes;
    }

    /** A STORED entry whose data starts at a multiple of 64 bytes, padded with an extra field as torch pads it. */
    private static void storedEntry(ZipOutputStream zip, CountingStream counting, String name, byte[] data)
            throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        long headerEnd = counting.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int padding = (int) ((ALIGNMENT - headerEnd % ALIGNMENT) % ALIGNMENT);
        ByteBuffer extra = ByteBuffer.allocate(4 + padding).order(ByteOrder.LITTLE_ENDIAN);
        extra.putShort((short) 0x4246).putShort((short) padding); // torch's "FB" padding field
        entry.setExtra(extra.array());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** Adds an unaligned STORED entry to a zip being written: for tests that build archives record by record. */
    public static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** Counts the bytes written, to place each entry's data on a 64-byte boundary. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Emits pickle opcodes; enough of protocol 2 for state dicts and for hand-made hostile pickles in tests. */
    public static final class PickleBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public PickleBuilder op(int opcode) {
            out.write(opcode);
            return this;
        }

        public PickleBuilder proto(int version) {
            return op(0x80).op(version);
        }

        public PickleBuilder mark() {
            return op('(');
        }

        public PickleBuilder stop() {
            return op('.');
        }

        public PickleBuilder global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public PickleBuilder reduce() {
            return op('R');
        }

        public PickleBuilder emptyTuple() {
            return op(')');
        }

        public PickleBuilder tuple() {
            return op('t');
        }

        /** A tuple of integers, between a MARK and TUPLE. */
        public PickleBuilder tuple(long... values) {
            mark();
            for (long value : values) {
                integer(value);
            }
            return tuple();
        }

        public PickleBuilder persistentId() {
            return op('Q');
        }

        public PickleBuilder setItems() {
            return op('u');
        }

        public PickleBuilder bool(boolean value) {
            return op(value ? 0x88 : 0x89);
        }

        /** BININT1, BININT2 or BININT when the value fits, else LONG1. */
        public PickleBuilder integer(long value) {
            if (value >= 0 && value < 256) {
                return op('K').op((int) value);
            }
            if (value >= 0 && value < 65536) {
                return op('M').op((int) (value & 0xff)).op((int) (value >>> 8));
            }
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                op('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
                return this;
            }
            op(0x8a).op(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
            return this;
        }

        public PickleBuilder unicode(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
            out.writeBytes(bytes);
            return this;
        }

        public PickleBuilder raw(byte... bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
