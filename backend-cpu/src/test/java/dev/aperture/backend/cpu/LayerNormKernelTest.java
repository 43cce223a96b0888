package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerNormKernelTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "3,7,1", "17,48,2", "9,77,2", "40,768,2"})
    void matchesDoublePrecisionReference(int rows, int cols, int threads) {
        float[] x = TestArrays.random(11, rows * cols, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] += 10; // an offset mean: a one-pass E[x²] − E[x]² would lose digits here
        }
        float[] gamma = TestArrays.random(12, cols, 1);
        float[] beta = TestArrays.random(13, cols, 1);
        float eps = 1e-5f;
        double[] expected = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int c = 0; c < cols; c++) {
                mean += x[r * cols + c];
            }
            mean /= cols;
            double variance = 0;
            for (int c = 0; c < cols; c++) {
                variance += Math.pow(x[r * cols + c] - mean, 2);
            }
            variance /= cols;
            for (int c = 0; c < cols; c++) {
                expected[r * cols + c] = (x[r * cols + c] - mean) / Math.sqrt(variance + eps) * gamma[c] + beta[c];
            }
        }
        try (CpuBackend backend = new CpuBackend(threads)) {
            Matrix out = backend.allocate(rows, cols);
            backend.layerNorm(backend.upload(x, rows, cols), backend.upload(gamma, 1, cols),
                    backend.upload(beta, 1, cols), eps, out);
            TestArrays.assertClose(expected, backend.download(out), 2e-5);
        }
    }
}
