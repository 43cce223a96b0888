package dev.aperture.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where a finished register tile goes: the rows and columns of {@code y} it covers, and whether it starts
 * the output ({@code y = tile + bias}, on the first k-block) or adds to it ({@code y += tile}, on later ones).
 * One mutable instance per thread, re-aimed for every tile, so the hot path allocates nothing.
 */
final class Epilogue {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int LANES = MicroKernel.LANES;
    private static final int NR = MicroKernel.NR;

    /** The tile the micro-kernel just computed, {@code tile[r*NR + c]}. */
    final float[] tile = new float[MicroKernel.MR * NR];
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

    /** Writes the valid {@code rows x cols} of {@link #tile} into y. */
    void apply() {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < NR; c += LANES) {
                    applyVector(r * NR + c, rowOffset + r * rowStride + c, column + c);
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c += LANES) {
                    applyMasked(r * NR + c, rowOffset + r * rowStride + c, column + c, S.indexInRange(c, cols));
                }
            }
        }
    }

    private void applyVector(int tileIndex, int yIndex, int biasIndex) {
        FloatVector value = FloatVector.fromArray(S, tile, tileIndex);
        if (accumulate) {
            value = value.add(FloatVector.fromArray(S, y, yIndex));
        } else if (bias != null) {
            value = value.add(FloatVector.fromArray(S, bias, biasIndex));
        }
        value.intoArray(y, yIndex);
    }

    private void applyMasked(int tileIndex, int yIndex, int biasIndex, VectorMask<Float> mask) {
        FloatVector value = FloatVector.fromArray(S, tile, tileIndex);
        if (accumulate) {
            value = value.add(FloatVector.fromArray(S, y, yIndex, mask));
        } else if (bias != null) {
            value = value.add(FloatVector.fromArray(S, bias, biasIndex, mask));
        }
        value.intoArray(y, yIndex, mask);
    }
}
