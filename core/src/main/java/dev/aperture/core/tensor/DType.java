package dev.aperture.core.tensor;

import java.util.Optional;

/**
 * Element types of the safetensors format, by the name the file header uses. The list follows the reference
 * implementation (safetensors 0.6+), including the OCP microscaling types: {@link #F4} (E2M1, two per byte) and the
 * 6-bit {@link #F6_E2M3}/{@link #F6_E3M2}, which are packed bit streams; for those a tensor's element count times
 * {@link #bitSize()} must be a multiple of 8.
 */
public enum DType {
    F64(64), F32(32), F16(16), BF16(16),
    I64(64), I32(32), I16(16), I8(8),
    U64(64), U32(32), U16(16), U8(8),
    BOOL(8),
    F8_E4M3(8), F8_E5M2(8),
    /** OCP MX scale type: 8 exponent bits, no sign, no mantissa. */
    F8_E8M0(8),
    /** FP8 variants without infinities and with a single NaN (AMD). */
    F8_E4M3FNUZ(8), F8_E5M2FNUZ(8),
    /** Complex number of two little-endian float32 (real, imaginary). */
    C64(64),
    /** OCP MX FP4 (E2M1), packed two elements per byte. */
    F4(4),
    /** OCP MX FP6 variants, packed four elements per three bytes. */
    F6_E2M3(6), F6_E3M2(6);

    private final int bitSize;

    DType(int bitSize) {
        this.bitSize = bitSize;
    }

    /** Bits per element (4 and 6 for the packed sub-byte types, a multiple of 8 otherwise). */
    public int bitSize() {
        return bitSize;
    }

    /** Whether an element is narrower than a byte (F4, F6_*), so {@link #byteSize()} is undefined. */
    public boolean isSubByte() {
        return bitSize % 8 != 0;
    }

    /**
     * Bytes per element.
     *
     * @throws IllegalStateException for the packed sub-byte types; use {@link #bitSize()} or {@link #byteCount(long)}
     */
    public int byteSize() {
        if (isSubByte()) {
            throw new IllegalStateException(name() + " is packed (" + bitSize + " bits per element); it has no byte size");
        }
        return bitSize / 8;
    }

    /**
     * Bytes that {@code elementCount} elements of this type occupy, or -1 when that does not fit in a long or is not a
     * whole number of bytes (a packed sub-byte type with an element count that ends mid-byte).
     */
    public long byteCount(long elementCount) {
        if (elementCount < 0) {
            return -1;
        }
        if (!isSubByte()) {
            int bytesPerElement = bitSize / 8;
            return elementCount > Long.MAX_VALUE / bytesPerElement ? -1 : elementCount * bytesPerElement;
        }
        if (elementCount > Long.MAX_VALUE / bitSize) {
            return -1;
        }
        long bits = elementCount * bitSize;
        return bits % 8 == 0 ? bits / 8 : -1;
    }

    /** Whether {@link TensorView#toFloatArray()} can convert this type. */
    public boolean isConvertibleToFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The dtype for a header name such as {@code "F32"}, or empty when the name is unknown. */
    public static Optional<DType> fromHeaderName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
