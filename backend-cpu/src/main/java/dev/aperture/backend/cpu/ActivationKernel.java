package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import dev.aperture.backend.cpu.gemm.Product;
import dev.aperture.core.backend.Activation;

/**
 * Element-wise activations, in place, all on vectors with {@link VectorExp}: GELU within 3e-7·|x| of the exact
 * function, tanh-GELU (SigLIP's {@code gelu_pytorch_tanh}) and quick-GELU within a few ulps. Every element goes through the same operations (tails use masks), so results do not
 * depend on the thread split.
 */
final class ActivationKernel {
    private static final int MIN_ELEMENTS_PER_THREAD = 4096;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final float ERF_P = 0.3275911f;
    private static final float ERF_A1 = 0.254829592f;
    private static final float ERF_A2 = -0.284496736f;
    private static final float ERF_A3 = 1.421413741f;
    private static final float ERF_A4 = -1.453152027f;
    private static final float ERF_A5 = 1.061405429f;

    private ActivationKernel() {
    }

    static void apply(WorkerPool pool, Activation function, float[] values, int count) {
        Product.Elementwise kernel = kernel(function);
        pool.forRange(count, MIN_ELEMENTS_PER_THREAD, (start, end) -> kernel.apply(values, start, end));
    }

    /** The kernel of {@code function}, as a whole-matrix pass and the GEMM's epilogue both run it. */
    static Product.Elementwise kernel(Activation function) {
        return switch (function) {
            case GELU -> ActivationKernel::gelu;
            case GELU_TANH -> ActivationKernel::geluTanh;
            case QUICK_GELU -> ActivationKernel::quickGelu;
        };
    }

    /**
     * x·Φ(x) = x/2 · (1 + erf(x/√2)), a vector at a time (vectorized because JMH showed the scalar form cost twice
     * the fc1 GEMM before it: {@code ElementwiseVsGemmBenchmark}). erf comes from Abramowitz and Stegun 7.1.26,
     * written through erfc so that negative x, where 1 + erf cancels, stays accurate in absolute terms:
     * <pre>
     *   a = |x|/√2,  t = 1 / (1 + p·a),  erfc(a) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5)))) · e^(−a²)
     *   1 + erf(x/√2) = 2 − erfc(a) for x ≥ 0,  erfc(a) for x &lt; 0        (|error| ≤ 1.5e-7 + float rounding)
     * </pre>
     */
    static void gelu(float[] values, int start, int end) {
        for (int i = start; i < end; i += Lanes.WIDTH) {
            VectorMask<Float> inRange = Lanes.SPECIES.indexInRange(i, end);
            FloatVector x = FloatVector.fromArray(Lanes.SPECIES, values, i, inRange);
            FloatVector a = x.abs().mul((float) SQRT_HALF);
            FloatVector t = a.broadcast(1f).div(a.mul(ERF_P).add(1f));
            FloatVector poly = t.mul(ERF_A5).add(ERF_A4);
            poly = poly.fma(t, t.broadcast(ERF_A3));
            poly = poly.fma(t, t.broadcast(ERF_A2));
            poly = poly.fma(t, t.broadcast(ERF_A1));
            FloatVector erfc = poly.mul(t).mul(VectorExp.exp(a.mul(a).neg()));
            FloatVector onePlusErf = erfc.neg().add(2f).blend(erfc, x.lt(0f));
            x.mul(0.5f).mul(onePlusErf).intoArray(values, i, inRange);
        }
    }

    /**
     * x/2 · (1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), a vector at a time. Since 1 + tanh(u) = 2σ(2u), that is
     * x / (1 + e^(−2u)): one exponential and no tanh, the same shape as quick-GELU. Below x ≈ −10, where e^(−2u) would
     * overflow, {@link VectorExp} saturates near 1.7e38, leaving x · 6e-39 instead of the limit −0 (an absolute
     * error under 1e-8 even at x = −1e30); where it underflows, the result is x.
     */
    static void geluTanh(float[] values, int start, int end) {
        for (int i = start; i < end; i += Lanes.WIDTH) {
            VectorMask<Float> inRange = Lanes.SPECIES.indexInRange(i, end);
            FloatVector x = FloatVector.fromArray(Lanes.SPECIES, values, i, inRange);
            FloatVector cubic = x.mul(x).mul(x).mul(0.044715f).add(x);
            FloatVector denominator = VectorExp.exp(cubic.mul((float) (-2 * SQRT_TWO_OVER_PI))).add(1f);
            x.div(denominator).intoArray(values, i, inRange);
        }
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
