package dev.aperture.core.safetensors;

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
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    public TensorView(String name, DType dtype, long[] shape, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** The shape, outermost dimension first (a copy). */
    public long[] shape() {
        return shape.clone();
    }

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

    public long byteSize() {
        return data.byteSize();
    }

    /** The raw little-endian bytes, in place. */
    public MemorySegment data() {
        return data;
    }

    /** The elements converted to float32, row-major. F32, F16 and BF16 only. */
    public float[] toFloatArray() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new FormatException("Tensor '" + name + "' has " + count + " elements, too many for one float array");
        }
        float[] out = new float[(int) count];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32_LE, 0, out, 0, out.length);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(data.getAtIndex(I16_LE, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((data.getAtIndex(I16_LE, i) & 0xffff) << 16);
                }
            }
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
