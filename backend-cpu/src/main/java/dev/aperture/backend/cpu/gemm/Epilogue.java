package dev.aperture.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where a register tile goes: the rows and columns of {@code y} it covers and whether it starts the
 * output ({@code y = tile + bias}, on the first k-block) or adds to it ({@code y += tile}, on later ones).
 * One mutable instance per thread, re-aimed for every tile, so the hot path allocates nothing.
 */
final class Epilogue {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int LANES = MicroKernel.LANES;

    float[] y;
    int rowOffset;
    int rowStride;
    int rows;
    /** Valid columns of the tile, {@code <= NR}; fewer only in the last panel. */
    int cols;
    /** First output column of the tile (indexes the bias). */
    int column;
    float[] bias;
    boolean accumulate;

    static void storeRow(FloatVector lo, FloatVector hi, Epilogue out, int offset) {
        float[] y = out.y;
        if (out.cols == 2 * LANES) {
            if (out.accumulate) {
                lo = lo.add(FloatVector.fromArray(S, y, offset));
                hi = hi.add(FloatVector.fromArray(S, y, offset + LANES));
            } else if (out.bias != null) {
                lo = lo.add(FloatVector.fromArray(S, out.bias, out.column));
                hi = hi.add(FloatVector.fromArray(S, out.bias, out.column + LANES));
            }
            lo.intoArray(y, offset);
            hi.intoArray(y, offset + LANES);
        } else {
            storeRowMasked(lo, hi, out, offset);
        }
    }

    private static void storeRowMasked(FloatVector lo, FloatVector hi, Epilogue out, int offset) {
        float[] y = out.y;
        VectorMask<Float> loMask = S.indexInRange(0, out.cols);
        VectorMask<Float> hiMask = S.indexInRange(LANES, out.cols);
        if (out.accumulate) {
            lo = lo.add(FloatVector.fromArray(S, y, offset, loMask));
            hi = hi.add(FloatVector.fromArray(S, y, offset + LANES, hiMask));
        } else if (out.bias != null) {
            lo = lo.add(FloatVector.fromArray(S, out.bias, out.column, loMask));
            hi = hi.add(FloatVector.fromArray(S, out.bias, out.column + LANES, hiMask));
        }
        lo.intoArray(y, offset, loMask);
        hi.intoArray(y, offset + LANES, hiMask);
    }
}
