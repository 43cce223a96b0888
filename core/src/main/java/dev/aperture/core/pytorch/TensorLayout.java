package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Where a tensor's elements lie in its storage, validated, and its bytes as a contiguous little-endian row-major
 * segment. Element {@code (i0, i1, ...)} is storage element {@code offset + i0*stride0 + i1*stride1 + ...}, as
 * {@code torch.as_strided} reads it.
 *
 * <p>A contiguous tensor of a little-endian storage is a slice of the storage, zero-copy. Anything else (a
 * transposed view, a slice with gaps, a big-endian file) is copied into memory of the checkpoint's arena,
 * byte-swapped where needed.
 *
 * @param shape        the dimensions, outermost first
 * @param strides      the stride of each dimension, in elements
 * @param offset       the first element's index in the storage
 * @param elementCount the product of the dimensions
 */
record TensorLayout(long[] shape, long[] strides, long offset, long elementCount) {

    /**
     * Checks a rebuilt tensor against the storage it reads: non-negative sizes and strides, an element count that
     * fits 64 bits, and every element it can reach inside the storage's {@code storageElements}.
     *
     * @param what names the tensor in messages, e.g. {@code pytorch_model.bin: tensor 'w'}
     */
    static TensorLayout of(RebuiltTensor tensor, long storageElements, String what) {
        long[] shape = tensor.shape();
        long[] strides = tensor.strides();
        String layout = " (storage '" + tensor.storage().key() + "' holds " + storageElements + " elements; offset "
                + tensor.storageOffset() + ", shape " + Arrays.toString(shape) + ", strides "
                + Arrays.toString(strides) + ")";
        if (shape.length != strides.length) {
            throw new FormatException(what + " has " + shape.length + " sizes but " + strides.length + " strides"
                    + layout);
        }
        long count = 1;
        long lastElement = tensor.storageOffset();
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    throw new FormatException(what + " has a negative size" + layout);
                }
                if (strides[i] < 0) {
                    throw new FormatException(what + " has a negative stride" + layout);
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            for (int i = 0; i < shape.length && count > 0; i++) {
                lastElement = Math.addExact(lastElement, Math.multiplyExact(shape[i] - 1, strides[i]));
            }
        } catch (ArithmeticException e) {
            throw new FormatException(what + " has a shape whose element count overflows 64 bits (too large)"
                    + layout, e);
        }
        if (tensor.storageOffset() < 0 || (count > 0 && tensor.storageOffset() >= storageElements)) {
            throw new FormatException(what + ": storage offset " + tensor.storageOffset() + " is out of range"
                    + layout);
        }
        if (count > 0 && lastElement >= storageElements) {
            throw new FormatException(what + " reads storage element " + lastElement + ", out of range" + layout);
        }
        if (count > storageElements) {
            // Only overlapping strides (stride 0, an expanded view) reach more elements than the storage holds; a
            // copy of such a view could be far larger than the file, and torch.save never writes one for a weight.
            throw new FormatException(what + " has " + count + " elements, more than its storage holds: overlapping"
                    + " strides are not supported" + layout);
        }
        return new TensorLayout(shape.clone(), strides.clone(), tensor.storageOffset(), count);
    }

    /** Whether the elements are the storage's, in row-major order, without gaps (dims of size 1 have any stride). */
    boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * The tensor's bytes, row-major little-endian: a slice of {@code storage} when contiguous and little-endian,
     * else a copy allocated from {@code arena}.
     */
    MemorySegment bytes(MemorySegment storage, int elementBytes, ByteOrder order, Arena arena) {
        long byteCount = elementCount * elementBytes;
        boolean swap = order != ByteOrder.LITTLE_ENDIAN && elementBytes > 1;
        if (elementCount == 0) {
            return MemorySegment.ofArray(new byte[0]);
        }
        if (isContiguous() && !swap) {
            return storage.asSlice(offset * elementBytes, byteCount);
        }
        MemorySegment copy = arena.allocate(byteCount, elementBytes);
        gather(storage, elementBytes, copy);
        if (swap) {
            swapBytes(copy, elementBytes);
        }
        return copy;
    }

    /**
     * Copies the elements in row-major order: an odometer over the outer dimensions, and the innermost dimension
     * copied as one block when its stride is 1.
     */
    private void gather(MemorySegment storage, int elementBytes, MemorySegment target) {
        int rank = shape.length;
        if (rank == 0) {
            MemorySegment.copy(storage, offset * elementBytes, target, 0, elementBytes);
            return;
        }
        long innerSize = shape[rank - 1];
        long innerStride = strides[rank - 1];
        long[] index = new long[rank - 1];
        long written = 0;
        while (written < elementCount) {
            long start = offset;
            for (int i = 0; i < rank - 1; i++) {
                start += index[i] * strides[i];
            }
            if (innerStride == 1) {
                MemorySegment.copy(storage, start * elementBytes, target, written * elementBytes,
                        innerSize * elementBytes);
            } else {
                for (long j = 0; j < innerSize; j++) {
                    MemorySegment.copy(storage, (start + j * innerStride) * elementBytes, target,
                            (written + j) * elementBytes, elementBytes);
                }
            }
            written += innerSize;
            for (int i = rank - 2; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
    }

    private static void swapBytes(MemorySegment bytes, int elementBytes) {
        long count = bytes.byteSize() / elementBytes;
        for (long i = 0; i < count; i++) {
            switch (elementBytes) {
                case 2 -> bytes.setAtIndex(ValueLayout.JAVA_SHORT, i,
                        Short.reverseBytes(bytes.getAtIndex(ValueLayout.JAVA_SHORT, i)));
                case 4 -> bytes.setAtIndex(ValueLayout.JAVA_INT, i,
                        Integer.reverseBytes(bytes.getAtIndex(ValueLayout.JAVA_INT, i)));
                default -> bytes.setAtIndex(ValueLayout.JAVA_LONG, i,
                        Long.reverseBytes(bytes.getAtIndex(ValueLayout.JAVA_LONG, i)));
            }
        }
    }
}
