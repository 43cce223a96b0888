package dev.aperture.core.safetensors;

import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.FloatConversions;
import dev.aperture.core.tensor.TensorView;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor to be written by {@link SafeTensorsWriter}: name, dtype, shape and a source of its little-endian bytes.
 * The bytes are produced only while the file is written, so a large model can be generated or converted tensor by
 * tensor without holding it all in memory.
 */
public record TensorToWrite(String name, DType dtype, long[] shape, TensorBytes content) {
    /** Elements converted per step when writing floats: 64 KiB of float32, small enough to stay in cache. */
    private static final int CHUNK_ELEMENTS = 16_384;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Writes exactly {@code shape x dtype} bytes of one tensor, row-major, little-endian. */
    @FunctionalInterface
    public interface TensorBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    public TensorToWrite {
        shape = shape.clone();
        if (byteCount(dtype, shape) < 0) {
            throw new IllegalArgumentException("Tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                    + dtype + " is not a valid whole number of bytes");
        }
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes the content must produce. */
    public long byteSize() {
        return byteCount(dtype, shape);
    }

    /** A tensor whose bytes are {@code bytes} (e.g. a {@link TensorView#data()} when converting a file). */
    public static TensorToWrite of(String name, DType dtype, long[] shape, MemorySegment bytes) {
        return new TensorToWrite(name, dtype, shape, out -> copy(bytes, out));
    }

    /** A copy of an open tensor, under the same name. */
    public static TensorToWrite of(TensorView view) {
        return of(view.name(), view.dtype(), view.shape(), view.data());
    }

    /** A tensor of raw bytes, for any dtype. */
    public static TensorToWrite ofBytes(String name, DType dtype, long[] shape, byte[] bytes) {
        return new TensorToWrite(name, dtype, shape, out -> out.write(bytes));
    }

    /**
     * Float values stored as {@code dtype}: F32 exactly, F16 and BF16 rounded to nearest even
     * ({@link FloatConversions}).
     */
    public static TensorToWrite ofFloats(String name, DType dtype, long[] shape, float[] values) {
        requireFloatTarget(name, dtype);
        return new TensorToWrite(name, dtype, shape, out -> writeFloats(values, dtype, out));
    }

    /**
     * An open floating-point tensor (F64, F32, F16 or BF16) stored as {@code dtype} (F32, F16 or BF16), under the same
     * name and shape. Each value is taken to float32 (exact for F32, F16 and BF16; F64 rounds to nearest, as
     * {@code (float)} does), then stored as {@link #ofFloats} stores it. The source is read a chunk at a time while the
     * file is written, so casting a large tensor never holds it whole in memory.
     *
     * @throws IllegalArgumentException when the source is not floating point or {@code dtype} is not F32, F16 or BF16
     */
    public static TensorToWrite castOf(TensorView source, DType dtype) {
        requireFloatTarget(source.name(), dtype);
        if (!source.dtype().isConvertibleToFloat() && source.dtype() != DType.F64) {
            throw new IllegalArgumentException("Tensor '" + source.name() + "' is " + source.dtype()
                    + "; only F64, F32, F16 and BF16 tensors can be cast to " + dtype);
        }
        return new TensorToWrite(source.name(), dtype, source.shape(), out -> writeCast(source, dtype, out));
    }

    private static void requireFloatTarget(String name, DType dtype) {
        if (!dtype.isConvertibleToFloat()) {
            throw new IllegalArgumentException("Tensor '" + name + "': cannot store floats as " + dtype);
        }
    }

    private static void writeFloats(float[] values, DType dtype, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK_ELEMENTS) {
            encode(values, start, Math.min(values.length, start + CHUNK_ELEMENTS), dtype, buffer, out);
        }
    }

    private static void writeCast(TensorView source, DType dtype, OutputStream out) throws IOException {
        float[] chunk = new float[CHUNK_ELEMENTS];
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
        long count = source.elementCount();
        for (long first = 0; first < count; first += CHUNK_ELEMENTS) {
            int length = (int) Math.min(CHUNK_ELEMENTS, count - first);
            readAsFloats(source, first, chunk, length);
            encode(chunk, 0, length, dtype, buffer, out);
        }
    }

    /** Elements {@code [first, first + length)} of a floating-point tensor, as float32, into {@code target}. */
    private static void readAsFloats(TensorView source, long first, float[] target, int length) {
        int width = source.dtype().byteSize();
        MemorySegment bytes = source.data().asSlice(first * width, (long) length * width);
        switch (source.dtype()) {
            case F64 -> {
                for (int i = 0; i < length; i++) {
                    target[i] = (float) bytes.getAtIndex(F64_LE, i);
                }
            }
            case F32 -> MemorySegment.copy(bytes, F32_LE, 0, target, 0, length);
            case F16 -> FloatConversions.f16ToFloat(bytes, target, 0, length);
            default -> FloatConversions.bf16ToFloat(bytes, target, 0, length);
        }
    }

    /** Stores {@code values[from, to)} as {@code dtype} through {@code buffer} (at least {@code 4 (to - from)} bytes). */
    private static void encode(float[] values, int from, int to, DType dtype, ByteBuffer buffer, OutputStream out)
            throws IOException {
        buffer.clear();
        for (int i = from; i < to; i++) {
            switch (dtype) {
                case F32 -> buffer.putFloat(values[i]);
                case F16 -> buffer.putShort(FloatConversions.floatToF16(values[i]));
                default -> buffer.putShort(FloatConversions.floatToBf16(values[i]));
            }
        }
        out.write(buffer.array(), 0, buffer.position());
    }

    private static void copy(MemorySegment bytes, OutputStream out) throws IOException {
        byte[] chunk = new byte[(int) Math.min(bytes.byteSize(), 1 << 20)];
        for (long offset = 0; offset < bytes.byteSize(); offset += chunk.length) {
            int length = (int) Math.min(chunk.length, bytes.byteSize() - offset);
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, chunk, 0, length);
            out.write(chunk, 0, length);
        }
    }

    private static long byteCount(DType dtype, long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0 || (dim != 0 && count > Long.MAX_VALUE / dim)) {
                return -1;
            }
            count *= dim;
        }
        return dtype.byteCount(count);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorToWrite that && name.equals(that.name) && dtype == that.dtype
                && Arrays.equals(shape, that.shape) && content.equals(that.content);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
