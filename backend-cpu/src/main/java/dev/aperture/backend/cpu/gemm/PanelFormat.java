package dev.aperture.backend.cpu.gemm;

/**
 * How a {@link PackedMatrix} stores its panels.
 *
 * <p>{@code F32} costs 4 bytes per weight and feeds the FMA directly. The 16-bit formats halve the
 * memory (and the bandwidth when the weights do not fit in cache); each k-block slice of a 16-bit panel is
 * widened to f32 once per task ({@link PanelWidening}) and the micro-kernel reads it as f32.
 */
public enum PanelFormat {
    /** 32-bit floats. */
    F32(Float.BYTES),
    /** bfloat16 bits (the top half of an f32): widened by a 16-bit shift. */
    BF16(Short.BYTES),
    /** IEEE half-precision bits: widened by shift, mask and an exponent-rebias multiply. */
    F16(Short.BYTES);

    private final int bytes;

    PanelFormat(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored weight. */
    int bytes() {
        return bytes;
    }
}
