package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer norm of each row, as PyTorch computes it in float32: the mean first, then the (biased) variance as the
 * mean of squared deviations from it (two passes, so no cancellation), then
 * {@code out = (x − mean) · 1/sqrt(var + eps) · gamma + beta}. Rows are independent and split among threads.
 */
final class LayerNormKernel {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;
    private static final int MIN_ROWS_PER_THREAD = 8;

    private LayerNormKernel() {
    }

    static void normalize(WorkerPool pool, float[] x, int rows, int cols, float[] gamma, float[] beta, float eps,
                          float[] out) {
        pool.forRange(rows, MIN_ROWS_PER_THREAD, (start, end) -> {
            for (int r = start; r < end; r++) {
                normalizeRow(x, r * cols, cols, gamma, beta, eps, out);
            }
        });
    }

    private static void normalizeRow(float[] x, int offset, int cols, float[] gamma, float[] beta, float eps,
                                     float[] out) {
        int vectorEnd = SPECIES.loopBound(cols);
        FloatVector sum = FloatVector.zero(SPECIES);
        int c = 0;
        for (; c < vectorEnd; c += SPECIES.length()) {
            sum = sum.add(FloatVector.fromArray(SPECIES, x, offset + c));
        }
        float total = Lanes.sum(sum);
        for (; c < cols; c++) {
            total += x[offset + c];
        }
        float mean = total / cols;

        FloatVector squares = FloatVector.zero(SPECIES);
        for (c = 0; c < vectorEnd; c += SPECIES.length()) {
            FloatVector deviation = FloatVector.fromArray(SPECIES, x, offset + c).sub(mean);
            squares = deviation.fma(deviation, squares);
        }
        float squareTotal = Lanes.sum(squares);
        for (; c < cols; c++) {
            float deviation = x[offset + c] - mean;
            squareTotal += deviation * deviation;
        }
        float inverseStd = (float) (1.0 / Math.sqrt(squareTotal / cols + eps));

        for (c = 0; c < vectorEnd; c += SPECIES.length()) {
            FloatVector normalized = FloatVector.fromArray(SPECIES, x, offset + c).sub(mean).mul(inverseStd);
            normalized.fma(FloatVector.fromArray(SPECIES, gamma, c), FloatVector.fromArray(SPECIES, beta, c))
                    .intoArray(out, offset + c);
        }
        for (; c < cols; c++) {
            out[offset + c] = (x[offset + c] - mean) * inverseStd * gamma[c] + beta[c];
        }
    }
}
