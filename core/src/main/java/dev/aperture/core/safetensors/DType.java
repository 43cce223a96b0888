package dev.aperture.core.safetensors;

import java.util.Optional;

/** Element types of the safetensors format, by the name the file header uses. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2),
    I64(8), I32(4), I16(2), I8(1),
    U64(8), U32(4), U16(2), U8(1),
    BOOL(1),
    F8_E4M3(1), F8_E5M2(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
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
