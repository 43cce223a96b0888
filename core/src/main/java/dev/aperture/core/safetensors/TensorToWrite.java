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
        if (!dtype.isConvertibleToFloat()) {
            throw new IllegalArgumentException("Tensor '" + name + "': cannot store floats as " + dtype);
        }
        return new TensorToWrite(name, dtype, shape, out -> writeFloats(values, dtype, out));
    }

    private static void writeFloats(float[] values, DType dtype, OutputStream out) throws IOException {
        int chunk = 16_384;
        ByteBuffer buffer = ByteBuffer.allocate(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += chunk) {
            buffer.clear();
            for (int i = start; i < Math.min(values.length, start + chunk); i++) {
                switch (dtype) {
                    case F32 -> buffer.putFloat(values[i]);
                    case F16 -> buffer.putShort(FloatConversions.floatToF16(values[i]));
                    default -> buffer.putShort(FloatConversions.floatToBf16(values[i]));
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        }
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
