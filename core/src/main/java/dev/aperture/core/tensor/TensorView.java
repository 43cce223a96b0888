package dev.aperture.core.tensor;

import dev.aperture.core.FormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor inside a safetensors file: dtype, shape and the bytes, viewed in place (no copy).
 * The view is valid while the file it came from is open.
 */
public final class TensorView {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    /**
     * A view of {@code data} as a tensor.
     *
     * @throws IllegalArgumentException when a dimension is negative or {@code data} is not exactly
     *                                  {@code shape x dtype} bytes long
     */
    public TensorView(String name, DType dtype, long[] shape, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        long expectedBytes = dtype.byteCount(elementCountOf(this.shape));
        if (expectedBytes != data.byteSize()) {
            throw new IllegalArgumentException("Tensor '" + name + "': shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expectedBytes + " bytes, the data has " + data.byteSize());
        }
    }

    private static long elementCountOf(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("Negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** The tensor's name in the file. */
    public String name() {
        return name;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape, outermost dimension first (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i} of the shape. */
    public long dim(int i) {
        return shape[i];
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return count;
    }

    /** Bytes the tensor occupies in the file. */
    public long byteSize() {
        return data.byteSize();
    }

    /** The raw little-endian bytes, in place; reading them after the file is closed throws IllegalStateException. */
    public MemorySegment data() {
        return data;
    }

    /**
     * The elements converted to float32, row-major. F32, F16 and BF16 only (exact: every value of those types is a
     * float32 value).
     *
     * @throws FormatException       for other dtypes, or more elements than a Java array holds
     * @throws IllegalStateException when the file has been closed
     */
    public float[] toFloatArray() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new FormatException("Tensor '" + name + "' has " + count + " elements, too many for one float array");
        }
        float[] out = new float[(int) count];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32_LE, 0, out, 0, out.length);
            case F16 -> FloatConversions.f16ToFloat(data, out, 0, out.length);
            case BF16 -> FloatConversions.bf16ToFloat(data, out, 0, out.length);
            default -> throw new FormatException("Tensor '" + name + "' has dtype " + dtype
                    + ", which cannot be converted to float (F32, F16 and BF16 can)");
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
