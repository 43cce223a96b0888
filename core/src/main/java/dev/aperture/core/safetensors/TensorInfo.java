package dev.aperture.core.safetensors;

import dev.aperture.core.tensor.DType;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header, validated: where its bytes lie in the data region
 * ({@code [begin, end)}, relative to the first byte after the header) and how to read them.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    /** The shape, outermost dimension first (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the dimensions (1 for a scalar); validated not to overflow. */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    /** Bytes in the data region: {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that && name.equals(that.name) && dtype == that.dtype
                && Arrays.equals(shape, that.shape) && begin == that.begin && end == that.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
