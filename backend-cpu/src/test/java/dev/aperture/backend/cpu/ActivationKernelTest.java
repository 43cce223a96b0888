package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationKernelTest {

    /** erf by its Maclaurin series (|x| ≤ 3) or its asymptotic continued fraction for erfc (|x| > 3), in double. */
    private static double referenceErf(double x) {
        double ax = Math.abs(x);
        if (ax <= 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            return Math.copySign(sum * 2 / Math.sqrt(Math.PI), x);
        }
        double fraction = 0;
        for (int n = 60; n >= 1; n--) {
            fraction = n / 2.0 / (ax + fraction);
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + fraction);
        return Math.copySign(1 - erfc, x);
    }

    @Test
    void geluIsWithinThreeTenMillionthsTimesXOfTheExactFunction() {
        int count = 200_001;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -10f + 20f * i / (count - 1);
        }
        float[] actual = x.clone();
        ActivationKernel.gelu(actual, 0, count);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double exact = 0.5 * x[i] * (1 + referenceErf(x[i] / Math.sqrt(2)));
            worst = Math.max(worst, Math.abs(actual[i] - exact) / Math.max(1, Math.abs(x[i])));
        }
        assertTrue(worst <= 3e-7, "worst error / max(1, |x|): " + worst);
        float[] special = {0f, -0f};
        ActivationKernel.gelu(special, 0, special.length);
        assertEquals(0f, special[0]);
        assertEquals(0f, Math.abs(special[1]));
    }

    @Test
    void vectorTanhGeluIsWithinAFewUlpsOfTheDoubleFormulaFromMinus12To12() {
        int count = 1_000_003;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -12f + 24f * i / (count - 1);
        }
        float[] actual = x.clone();
        ActivationKernel.geluTanh(actual, 0, count);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double v = x[i];
            double exact = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            worst = Math.max(worst, Math.abs(actual[i] - exact) / Math.max(1, Math.abs(v)));
        }
        assertTrue(worst <= 3e-7, "worst error / max(1, |x|): " + worst);
        float[] extremes = {-1e30f, 1e30f, Float.NaN};
        ActivationKernel.geluTanh(extremes, 0, extremes.length);
        assertTrue(Math.abs(extremes[0]) <= 1e-8, "x = -1e30 gives " + extremes[0]);
        assertEquals(1e30f, extremes[1]);
        assertTrue(Float.isNaN(extremes[2]));
    }

    @Test
    void appliesEachActivationToAwkwardlySizedMatrix() {
        int rows = 13;
        int cols = 37;
        float[] x = TestArrays.random(21, rows * cols, 6);
        for (Activation function : Activation.values()) {
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double v = x[i];
                expected[i] = switch (function) {
                    case GELU -> 0.5 * v * (1 + referenceErf(v / Math.sqrt(2)));
                    case GELU_TANH -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                    case QUICK_GELU -> v / (1 + Math.exp(-1.702 * v));
                };
            }
            try (CpuBackend backend = new CpuBackend(2)) {
                Matrix matrix = backend.upload(x, rows, cols);
                backend.activate(function, matrix);
                TestArrays.assertClose(expected, backend.download(matrix), 1e-6);
            }
        }
    }
}
