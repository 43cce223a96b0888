package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import dev.aperture.core.backend.Activation;

/**
 * Element-wise activations, in place. GELU and tanh-GELU compute each value in double and round once to float
 * (within an ulp of the exact function); quick-GELU runs on vectors with {@link VectorExp} (within a few ulps).
 * PyTorch's float formulas are within a few ulps of the exact functions too.
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
                case QUICK_GELU -> quickGelu(values, start, end);
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

    /**
     * x·σ(1.702·x), written as x / (1 + e^(−1.702·x)), a vector at a time (the tail with a mask, so every element
     * goes through the same operations). Vectorized because JMH showed the scalar form cost half of the fc1 GEMM
     * it follows ({@code ElementwiseVsGemmBenchmark}).
     */
    static void quickGelu(float[] values, int start, int end) {
        for (int i = start; i < end; i += Lanes.WIDTH) {
            VectorMask<Float> inRange = Lanes.SPECIES.indexInRange(i, end);
            FloatVector x = FloatVector.fromArray(Lanes.SPECIES, values, i, inRange);
            FloatVector denominator = VectorExp.exp(x.mul(-1.702f)).add(1f);
            x.div(denominator).intoArray(values, i, inRange);
        }
    }
}
