package dev.aperture.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile: {@code C[MR, NR] = A[MR, kc] · B[kc, NR]}, {@code NR} = two vectors of columns and
 * {@code MR} rows, held in {@code 2·MR} accumulator registers. {@code MR} follows the register file: 6 rows
 * where the CPU has 16 vector registers (AVX2: 12 accumulators, two B vectors and one broadcast are 15), 12 rows
 * where 512-bit vectors mean AVX-512's 32 (27 in use). Each k-step loads one row of the B panel (two vectors),
 * broadcasts each of the MR values of A and does {@code 2·MR} FMAs; the 12-row tile does twice the FMAs per
 * panel load and per tile written out, which measured 10-20 % faster on AVX-512 (a 14-row tile, 31 registers,
 * was no faster: RESULTS.md).
 *
 * <p>A is the packed row strip ({@code a[ai + p*MR + r]}), B a slice of an f32 weight panel (element
 * {@code p*NR + c} from byte offset {@code bi}, in 64-byte-aligned native memory so no vector load straddles two
 * cache lines): a 16-bit panel's slice is widened into such a buffer first ({@link PanelWidening}), so this loop
 * only ever does loads, broadcasts and FMAs. The accumulators are separate locals on purpose: C2
 * keeps locals in registers, arrays it would not. The finished tile goes to a small per-thread buffer
 * ({@code tile[r*NR + c]}) rather than straight into {@code y}: passing vectors to a helper that C2 declines to
 * inline would box them, and the {@link Epilogue} (bias, accumulation, masked edges) is then plain code over
 * that buffer.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    static final int LANES = S.length();
    /** Rows of the register tile: 12 with AVX-512's 32 vector registers, 6 with AVX2's 16. */
    static final int MR = S.vectorBitSize() >= 512 ? 12 : 6;
    /** Columns of the register tile (two vectors). */
    static final int NR = 2 * LANES;

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private MicroKernel() {
    }

    /** {@code tile[r*NR + c] = Σ_p a[ai + p*MR + r] · B[p, c]} over {@code kc} steps, B in f32. */
    static void multiply(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        if (MR == 12) {
            multiply12Rows(a, ai, b, bi, kc, tile);
        } else {
            multiply6Rows(a, ai, b, bi, kc, tile);
        }
    }

    /** The 6-row tile: 12 accumulators, two panel vectors and one broadcast use 15 of 16 vector registers. */
    private static void multiply6Rows(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        long rowBytes = (long) NR * Float.BYTES;
        long hiOffset = (long) LANES * Float.BYTES;
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        FloatVector lo4 = FloatVector.zero(S), hi4 = FloatVector.zero(S);
        FloatVector lo5 = FloatVector.zero(S), hi5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 6, bi += rowBytes) {
            FloatVector bLo = FloatVector.fromMemorySegment(S, b, bi, NATIVE);
            FloatVector bHi = FloatVector.fromMemorySegment(S, b, bi + hiOffset, NATIVE);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            lo0 = bLo.fma(a0, lo0);
            hi0 = bHi.fma(a0, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            lo1 = bLo.fma(a1, lo1);
            hi1 = bHi.fma(a1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            lo2 = bLo.fma(a2, lo2);
            hi2 = bHi.fma(a2, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            lo3 = bLo.fma(a3, lo3);
            hi3 = bHi.fma(a3, hi3);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            lo4 = bLo.fma(a4, lo4);
            hi4 = bHi.fma(a4, hi4);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            lo5 = bLo.fma(a5, lo5);
            hi5 = bHi.fma(a5, hi5);
        }
        lo0.intoArray(tile, 0 * NR);
        hi0.intoArray(tile, 0 * NR + LANES);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + LANES);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + LANES);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + LANES);
        lo4.intoArray(tile, 4 * NR);
        hi4.intoArray(tile, 4 * NR + LANES);
        lo5.intoArray(tile, 5 * NR);
        hi5.intoArray(tile, 5 * NR + LANES);
    }

    /** The 12-row tile: 24 accumulators, two panel vectors and one broadcast use 27 of 32 vector registers. */
    private static void multiply12Rows(float[] a, int ai, MemorySegment b, long bi, int kc, float[] tile) {
        long rowBytes = (long) NR * Float.BYTES;
        long hiOffset = (long) LANES * Float.BYTES;
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        FloatVector lo4 = FloatVector.zero(S), hi4 = FloatVector.zero(S);
        FloatVector lo5 = FloatVector.zero(S), hi5 = FloatVector.zero(S);
        FloatVector lo6 = FloatVector.zero(S), hi6 = FloatVector.zero(S);
        FloatVector lo7 = FloatVector.zero(S), hi7 = FloatVector.zero(S);
        FloatVector lo8 = FloatVector.zero(S), hi8 = FloatVector.zero(S);
        FloatVector lo9 = FloatVector.zero(S), hi9 = FloatVector.zero(S);
        FloatVector lo10 = FloatVector.zero(S), hi10 = FloatVector.zero(S);
        FloatVector lo11 = FloatVector.zero(S), hi11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 12, bi += rowBytes) {
            FloatVector bLo = FloatVector.fromMemorySegment(S, b, bi, NATIVE);
            FloatVector bHi = FloatVector.fromMemorySegment(S, b, bi + hiOffset, NATIVE);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            lo0 = bLo.fma(a0, lo0);
            hi0 = bHi.fma(a0, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            lo1 = bLo.fma(a1, lo1);
            hi1 = bHi.fma(a1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            lo2 = bLo.fma(a2, lo2);
            hi2 = bHi.fma(a2, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            lo3 = bLo.fma(a3, lo3);
            hi3 = bHi.fma(a3, hi3);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            lo4 = bLo.fma(a4, lo4);
            hi4 = bHi.fma(a4, hi4);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            lo5 = bLo.fma(a5, lo5);
            hi5 = bHi.fma(a5, hi5);
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6]);
            lo6 = bLo.fma(a6, lo6);
            hi6 = bHi.fma(a6, hi6);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7]);
            lo7 = bLo.fma(a7, lo7);
            hi7 = bHi.fma(a7, hi7);
            FloatVector a8 = FloatVector.broadcast(S, a[ai + 8]);
            lo8 = bLo.fma(a8, lo8);
            hi8 = bHi.fma(a8, hi8);
            FloatVector a9 = FloatVector.broadcast(S, a[ai + 9]);
            lo9 = bLo.fma(a9, lo9);
            hi9 = bHi.fma(a9, hi9);
            FloatVector a10 = FloatVector.broadcast(S, a[ai + 10]);
            lo10 = bLo.fma(a10, lo10);
            hi10 = bHi.fma(a10, hi10);
            FloatVector a11 = FloatVector.broadcast(S, a[ai + 11]);
            lo11 = bLo.fma(a11, lo11);
            hi11 = bHi.fma(a11, hi11);
        }
        lo0.intoArray(tile, 0 * NR);
        hi0.intoArray(tile, 0 * NR + LANES);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + LANES);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + LANES);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + LANES);
        lo4.intoArray(tile, 4 * NR);
        hi4.intoArray(tile, 4 * NR + LANES);
        lo5.intoArray(tile, 5 * NR);
        hi5.intoArray(tile, 5 * NR + LANES);
        lo6.intoArray(tile, 6 * NR);
        hi6.intoArray(tile, 6 * NR + LANES);
        lo7.intoArray(tile, 7 * NR);
        hi7.intoArray(tile, 7 * NR + LANES);
        lo8.intoArray(tile, 8 * NR);
        hi8.intoArray(tile, 8 * NR + LANES);
        lo9.intoArray(tile, 9 * NR);
        hi9.intoArray(tile, 9 * NR + LANES);
        lo10.intoArray(tile, 10 * NR);
        hi10.intoArray(tile, 10 * NR + LANES);
        lo11.intoArray(tile, 11 * NR);
        hi11.intoArray(tile, 11 * NR + LANES);
    }
}
