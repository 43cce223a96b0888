package dev.aperture.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Widens the k-block slices ({@code KC x NR} values each, one contiguous run of the packed layout) of up to
 * {@link #PANELS} consecutive BF16 or F16 weight panels into an f32 buffer, one slice after another, which
 * {@link Gemm} then runs the {@link MicroKernel} over as it does over f32 panels.
 *
 * <p>Why a buffer rather than widening inside the kernel: there, every strip of rows converted the same weights
 * again, the conversions took the FMA ports, and the image tower ran 19-28 % slower on 16-bit panels than on f32
 * ones. Widened here, each weight is converted once per k-block for all the strips of a task (RESULTS.md).
 *
 * <p>Each thread of the pool has its own buffer: 64-byte aligned, {@code PANELS x KC x NR} floats (256 KiB at
 * AVX-512), small enough to stay in L2 beside an L2 group of rows while the strips read it.
 */
final class PanelWidening {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class,
            VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** 2^112: moves an F16 exponent (bias 15) placed in an f32 exponent field to f32's bias 127. */
    private static final float F16_REBIAS = 0x1p112f;
    private static final long CACHE_LINE = 64;
    /** Panels widened per pass. */
    static final int PANELS = 8;

    private static final ThreadLocal<MemorySegment> BUFFERS = ThreadLocal.withInitial(() ->
            Arena.ofAuto().allocate((long) PANELS * Gemm.KC * MicroKernel.NR * Float.BYTES, CACHE_LINE));

    private PanelWidening() {
    }

    /**
     * The calling thread's buffer, holding the slices {@code [pc, pc+kc)} of panels {@code [first, last)} of
     * {@code w} as f32: panel {@code first + i}'s at element {@code i * kc * NR}.
     */
    static MemorySegment widen(PackedMatrix w, int first, int last, int pc, int kc) {
        MemorySegment buffer = BUFFERS.get();
        int nr = MicroKernel.NR;
        int lanes = S.length();
        long halvesBytes = (long) lanes * Short.BYTES;
        long floatsBytes = (long) lanes * Float.BYTES;
        long to = 0;
        for (int panel = first; panel < last; panel++) {
            long from = ((long) panel * w.inFeatures() + pc) * nr * Short.BYTES;
            for (int i = 0; i < kc * nr; i += lanes, from += halvesBytes, to += floatsBytes) {
                FloatVector values = w.format() == PanelFormat.BF16 ? widenBf16(w.panels(), from)
                        : widenF16(w.panels(), from);
                values.intoMemorySegment(buffer, to, NATIVE);
            }
        }
        return buffer;
    }

    private static IntVector loadSignExtended(MemorySegment b, long byteOffset) {
        return (IntVector) ShortVector.fromMemorySegment(HALVES, b, byteOffset, NATIVE)
                .convertShape(VectorOperators.S2I, INTS, 0);
    }

    /** bf16 bits are the top 16 bits of the f32 with the same value. */
    static FloatVector widenBf16(MemorySegment b, long byteOffset) {
        return loadSignExtended(b, byteOffset).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * F16 {@code s eeeee mmmmmmmmmm}, sign-extended to 32 bits and shifted left by 13, has its exponent and
     * mantissa in f32's fields and copies of the sign in bits 28..31; masking keeps bit 31 as the sign, and
     * multiplying by 2^112 rebiases the exponent (also turning F16 subnormals into the right normal f32).
     * Finite values only: packing rejects infinities and NaNs.
     */
    static FloatVector widenF16(MemorySegment b, long byteOffset) {
        return loadSignExtended(b, byteOffset)
                .lanewise(VectorOperators.LSHL, 13)
                .lanewise(VectorOperators.AND, 0x8FFF_E000)
                .reinterpretAsFloats()
                .mul(F16_REBIAS);
    }
}
