package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Row-wise data movement and sums: residual adds, periodic table adds (position embeddings), row gathers. */
final class RowKernels {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;
    private static final int MIN_ROWS_PER_THREAD = 16;

    private RowKernels() {
    }

    /** {@code x[r] += y[r]} for every row. */
    static void add(WorkerPool pool, float[] x, float[] y, int rows, int cols) {
        pool.forRange(rows, MIN_ROWS_PER_THREAD, (start, end) -> {
            for (int r = start; r < end; r++) {
                addRow(x, r * cols, y, r * cols, cols);
            }
        });
    }

    /** {@code x[r] += table[r mod period]} for every row. */
    static void addRowsPeriodic(WorkerPool pool, float[] x, int rows, int cols, float[] table, int period) {
        pool.forRange(rows, MIN_ROWS_PER_THREAD, (start, end) -> {
            for (int r = start; r < end; r++) {
                addRow(x, r * cols, table, (r % period) * cols, cols);
            }
        });
    }

    /** {@code out[i] = source[rows[i]]}. */
    static void gatherRows(float[] source, int cols, int[] rows, float[] out) {
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(source, rows[i] * cols, out, i * cols, cols);
        }
    }

    private static void addRow(float[] x, int xOffset, float[] y, int yOffset, int cols) {
        int vectorEnd = SPECIES.loopBound(cols);
        int c = 0;
        for (; c < vectorEnd; c += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOffset + c).add(FloatVector.fromArray(SPECIES, y, yOffset + c))
                    .intoArray(x, xOffset + c);
        }
        for (; c < cols; c++) {
            x[xOffset + c] += y[yOffset + c];
        }
    }
}
