package dev.aperture.backend.gpu;

import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Layer norm (one work-group per row) against a double-precision reference; rows wider than the work-group
 * exercise the strided accumulation. Tolerance: 2e-5 absolute on outputs of order 1.
 */
class LayerNormKernelTest {
    private static final double TOLERANCE = 2e-5;
    private static OpenClBackend backend;

    @BeforeAll
    static void openBackend() {
        backend = OpenClTestSupport.openBackend();
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "{0} rows × {1} columns")
    @CsvSource({"1, 48", "7, 100", "33, 64", "65, 768", "2, 1", "3, 1031"})
    void matchesReference(int rows, int cols) {
        Random random = new Random(rows * 31L + cols);
        float[] x = OpenClTestSupport.randomValues(random, rows * cols, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] += 5;   // an offset mean: a one-pass variance would lose digits here
        }
        float[] gamma = OpenClTestSupport.randomValues(random, cols, 2);
        float[] beta = OpenClTestSupport.randomValues(random, cols, 1);
        float eps = 1e-5f;
        double[] expected = References.layerNorm(x, gamma, beta, eps, rows, cols);
        float[] actual;
        try (Matrix input = backend.upload(x, rows, cols);
             Matrix scale = backend.upload(gamma, 1, cols);
             Matrix shift = backend.upload(beta, 1, cols);
             Matrix output = backend.allocate(rows, cols)) {
            backend.layerNorm(input, scale, shift, eps, output);
            actual = backend.download(output);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            assertEquals(expected[i], actual[i], TOLERANCE, "element " + i / cols + "," + i % cols);
        }
        System.out.printf("layerNorm %d×%d: max abs error %.3g%n", rows, cols, worst);
    }

    @Test
    void rejectsGammaOfTheWrongWidth() {
        try (Matrix x = backend.allocate(2, 8); Matrix gamma = backend.allocate(1, 7);
             Matrix beta = backend.allocate(1, 8); Matrix out = backend.allocate(2, 8)) {
            assertThrows(IllegalArgumentException.class, () -> backend.layerNorm(x, gamma, beta, 1e-5f, out));
        }
    }
}
