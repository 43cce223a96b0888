package dev.aperture.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile: {@code C[MR, NR] = A[MR, kc] · B[kc, NR]} with {@code MR = 6} rows and
 * {@code NR = 2} vectors of columns held in 12 accumulator registers (plus two B vectors and one
 * broadcast: 15 of AVX2's 16 vector registers).
 *
 * <p>Each k-step loads one row of the B panel (two vectors), broadcasts each of the 6 A values and does
 * 12 FMAs: 12 FMAs per 2 loads, so the loop is bound by FMA throughput, not by memory. A is the
 * packed row strip ({@code a[ai + p*MR + r]}), B the packed weight panel (element {@code p*NR + c} from
 * byte offset {@code bi}, in 64-byte-aligned native memory so no vector load straddles two cache lines).
 * The accumulators are separate locals on purpose: C2 keeps locals in registers, arrays it would not.
 * The finished tile goes to a small per-thread buffer ({@code tile[r*NR + c]}) rather than straight into
 * {@code y}: passing vectors to a helper that C2 declines to inline would box them, and the {@link Epilogue}
 * (bias, accumulation, masked edges) is then plain code over that buffer.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    static final int LANES = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile (two vectors). */
    static final int NR = 2 * LANES;

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class,
            jdk.incubator.vector.VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());
    /** 2^112: moves an F16 exponent (bias 15) placed in an f32 exponent field to f32's bias 127. */
    private static final float F16_REBIAS = 0x1p112f;

    private MicroKernel() {
    }

    /** f32 panels. */
    static void multiply(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += MR, bi += NR * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + LANES * Float.BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + LANES);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /** bfloat16 panels: widen each loaded vector by shifting the 16 bits into an f32's top half. */
    static void multiplyBf16(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += MR, bi += NR * Short.BYTES) {
            FloatVector b0 = widenBf16(b, bi);
            FloatVector b1 = widenBf16(b, bi + LANES * Short.BYTES);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + LANES);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /** F16 panels: widen each loaded vector with shift, mask and one exponent-rebias multiply. */
    static void multiplyF16(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += MR, bi += NR * Short.BYTES) {
            FloatVector b0 = widenF16(b, bi);
            FloatVector b1 = widenF16(b, bi + LANES * Short.BYTES);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + LANES);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
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
