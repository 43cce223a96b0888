package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Activation;

/**
 * Element-wise activations, in place. Each value is computed in double and rounded once to float, which keeps
 * every result within an ulp of the exact function (PyTorch's float formulas are within a few ulps of it).
 */
final class ActivationKernel {
    private static final int MIN_ELEMENTS_PER_THREAD = 4096;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private ActivationKernel() {
    }

    static void apply(WorkerPool pool, Activation function, float[] values, int count) {
        pool.forRange(count, MIN_ELEMENTS_PER_THREAD, (start, end) -> {
            switch (function) {
                case GELU -> {
                    for (int i = start; i < end; i++) {
                        values[i] = gelu(values[i]);
                    }
                }
                case GELU_TANH -> {
                    for (int i = start; i < end; i++) {
                        values[i] = geluTanh(values[i]);
                    }
                }
                case QUICK_GELU -> {
                    for (int i = start; i < end; i++) {
                        values[i] = quickGelu(values[i]);
                    }
                }
            }
        });
    }

    /** x·Φ(x) = x/2 · (1 + erf(x/√2)). */
    static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + Erf.erf(x * SQRT_HALF)));
    }

    /** x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static float geluTanh(float x) {
        double inner = SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + Math.tanh(inner)));
    }

    /** x·σ(1.702·x), written as x / (1 + e^(−1.702·x)). */
    static float quickGelu(float x) {
        return (float) (x / (1.0 + Math.exp(-1.702 * x)));
    }
}
