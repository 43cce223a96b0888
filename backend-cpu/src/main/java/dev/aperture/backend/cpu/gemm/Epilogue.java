package dev.aperture.backend.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where a finished register tile goes and what joins it there: the rows and columns of {@code y} it covers;
 * whether it starts the output ({@code y = tile + bias}, first k-block) or adds to it ({@code y += tile}, later
 * ones); and, on the last k-block, the {@link Product}'s residual ({@code y += residual}) and element-wise
 * function, applied while the tile's rows are still in L1 instead of in another pass over {@code y}.
 * One mutable instance per thread, re-aimed for every tile, so the hot path allocates nothing.
 *
 * <p>Per element the operations are, in order, {@code ((tile₀ + bias) + tile₁ + … ) + residual}, then the
 * function: the same as a plain GEMM followed by a separate residual add and activation pass, bit for bit.
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
    /** Later k-blocks: add the tile to the partial sum already in y. */
    boolean accumulate;
    /** Added on the last k-block (same layout as y), or null. */
    float[] residual;
    /** Applied to the tile's rows in y once they are final (the last k-block), or null. */
    Product.Elementwise function;

    /** Aims at the tile of {@code rows} x {@code cols} whose first element is y[rowOffset] (output column {@code column}). */
    void aim(int rowOffset, int rows, int column, int cols) {
        this.rowOffset = rowOffset;
        this.rows = rows;
        this.column = column;
        this.cols = cols;
    }

    /**
     * Writes the valid {@code rows x cols} of {@link #tile} into y with its addends. One method with its loops
     * written out, no helper per vector: a call per vector (which C2 may decline to inline) cost 8 % of a
     * model's time when this was two small methods.
     */
    void apply() {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < NR; c += LANES) {
                    int yIndex = rowOffset + r * rowStride + c;
                    FloatVector value = FloatVector.fromArray(S, tile, r * NR + c);
                    if (accumulate) {
                        value = value.add(FloatVector.fromArray(S, y, yIndex));
                    } else if (bias != null) {
                        value = value.add(FloatVector.fromArray(S, bias, column + c));
                    }
                    if (residual != null) {
                        value = value.add(FloatVector.fromArray(S, residual, yIndex));
                    }
                    value.intoArray(y, yIndex);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c += LANES) {
                VectorMask<Float> mask = S.indexInRange(c, cols);
                int yIndex = rowOffset + r * rowStride + c;
                FloatVector value = FloatVector.fromArray(S, tile, r * NR + c);
                if (accumulate) {
                    value = value.add(FloatVector.fromArray(S, y, yIndex, mask));
                } else if (bias != null) {
                    value = value.add(FloatVector.fromArray(S, bias, column + c, mask));
                }
                if (residual != null) {
                    value = value.add(FloatVector.fromArray(S, residual, yIndex, mask));
                }
                value.intoArray(y, yIndex, mask);
            }
        }
    }

    /** Applies the element-wise function to the tile's rows in y (they hold their final values). */
    void applyFunction() {
        for (int r = 0; r < rows; r++) {
            int start = rowOffset + r * rowStride;
            function.apply(y, start, start + cols);
        }
    }
}
