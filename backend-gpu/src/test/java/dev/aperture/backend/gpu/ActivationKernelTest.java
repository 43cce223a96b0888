package dev.aperture.backend.gpu;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GELU (exact erf), tanh-GELU and quick-GELU in place, against double-precision formulas on [-8, 8].
 * Tolerance: 1e-5 · max(1, |expected|).
 */
class ActivationKernelTest {
    private static final double TOLERANCE = 1e-5;
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

    @ParameterizedTest
    @EnumSource(Activation.class)
    void matchesReference(Activation function) {
        DoubleUnaryOperator reference = switch (function) {
            case GELU -> References::gelu;
            case GELU_TANH -> References::geluTanh;
            case QUICK_GELU -> References::quickGelu;
        };
        int rows = 7, cols = 100;
        float[] x = OpenClTestSupport.randomValues(new Random(function.ordinal()), rows * cols, 8);
        x[0] = 0;
        x[1] = -0.0f;
        float[] actual;
        try (Matrix matrix = backend.upload(x, rows, cols)) {
            backend.activate(function, matrix);
            actual = backend.download(matrix);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double expected = reference.applyAsDouble(x[i]);
            worst = Math.max(worst, Math.abs(expected - actual[i]) / Math.max(1, Math.abs(expected)));
            assertEquals(expected, actual[i], TOLERANCE * Math.max(1, Math.abs(expected)),
                    function + "(" + x[i] + ")");
        }
        System.out.printf("%s: max error %.3g of max(1, |expected|)%n", function, worst);
    }

    @Test
    void geluAndItsTanhApproximationDiffer() {
        // Guards against the kernels being swapped: at x = -3 the two formulas differ far beyond the tolerance.
        float[] x = {-3f};
        float[] exact;
        float[] approximate;
        try (Matrix a = backend.upload(x, 1, 1); Matrix b = backend.upload(x, 1, 1)) {
            backend.activate(Activation.GELU, a);
            backend.activate(Activation.GELU_TANH, b);
            exact = backend.download(a);
            approximate = backend.download(b);
        }
        assertTrue(Math.abs(References.gelu(-3) - References.geluTanh(-3)) > 1e-4);
        assertEquals(References.gelu(-3), exact[0], 1e-6);
        assertEquals(References.geluTanh(-3), approximate[0], 1e-6);
    }
}
