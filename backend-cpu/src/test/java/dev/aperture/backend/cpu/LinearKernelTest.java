package dev.aperture.backend.cpu;

import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearKernelTest {

    /** y = x·Wᵀ + b in double. */
    private static double[] reference(float[] x, int n, float[] w, float[] b, int out, int in) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                double sum = b == null ? 0 : b[j];
                for (int k = 0; k < in; k++) {
                    sum += (double) x[i * in + k] * w[j * in + k];
                }
                y[i * out + j] = sum;
            }
        }
        return y;
    }

    // Sizes around the vector length and the 4x2 block / 32-row tile: odd rows, odd columns, odd depth.
    @ParameterizedTest
    @CsvSource({"1,1,1,1", "3,5,7,1", "4,2,16,1", "37,19,33,2", "70,65,129,3", "5,33,1000,2"})
    void matchesDoublePrecisionReferenceOnAwkwardSizes(int n, int out, int in, int threads) {
        float[] x = TestArrays.random(1, n * in, 1);
        float[] w = TestArrays.random(2, out * in, 1);
        float[] b = TestArrays.random(3, out, 1);
        try (CpuBackend backend = new CpuBackend(threads)) {
            LinearWeights weights = backend.prepareLinear(TestArrays.f32("w", w, out, in), TestArrays.f32("b", b, out));
            Matrix y = backend.allocate(n, out);
            backend.linear(backend.upload(x, n, in), weights, y);
            TestArrays.assertClose(reference(x, n, w, b, out, in), backend.download(y), 1e-5 * Math.sqrt(in) + 1e-6);
        }
    }

    @Test
    void resultsAreBitIdenticalAcrossThreadCountsAndJitWarmUp() {
        int n = 13;
        int out = 37;
        int in = 75;
        float[] x = TestArrays.random(10, n * in, 1);
        float[] w = TestArrays.random(11, out * in, 1);
        float[] expected;
        try (CpuBackend backend = new CpuBackend(1)) {
            Matrix y = backend.allocate(n, out);
            backend.linear(backend.upload(x, n, in), backend.prepareLinear(TestArrays.f32("w", w, out, in), null), y);
            expected = backend.download(y);
        }
        try (CpuBackend backend = new CpuBackend(2)) {
            LinearWeights weights = backend.prepareLinear(TestArrays.f32("w", w, out, in), null);
            Matrix input = backend.upload(x, n, in);
            Matrix y = backend.allocate(n, out);
            for (int run = 0; run < 3000; run++) {
                backend.linear(input, weights, y);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, backend.download(y));
        }
    }

    @Test
    void worksWithoutBias() {
        float[] x = TestArrays.random(4, 9 * 21, 1);
        float[] w = TestArrays.random(5, 11 * 21, 1);
        try (CpuBackend backend = new CpuBackend(2)) {
            Matrix y = backend.allocate(9, 11);
            backend.linear(backend.upload(x, 9, 21), backend.prepareLinear(TestArrays.f32("w", w, 11, 21), null), y);
            TestArrays.assertClose(reference(x, 9, w, null, 11, 21), backend.download(y), 1e-5);
        }
    }

    @Test
    void flattensConvolutionKernelIntoInputFeatures() {
        float[] x = TestArrays.random(6, 3 * 48, 1);
        float[] w = TestArrays.random(7, 5 * 48, 1);
        try (CpuBackend backend = new CpuBackend(1)) {
            LinearWeights weights = backend.prepareLinear(TestArrays.f32("conv", w, 5, 3, 4, 4), null);
            assertEquals(48, weights.inFeatures());
            Matrix y = backend.allocate(3, 5);
            backend.linear(backend.upload(x, 3, 48), weights, y);
            TestArrays.assertClose(reference(x, 3, w, null, 5, 48), backend.download(y), 1e-5);
        }
    }

    @Test
    void convertsHalfPrecisionWeightsExactly() {
        float[] w = TestArrays.random(8, 6 * 35, 1);
        float[] x = TestArrays.random(9, 7 * 35, 1);
        float[] halfW = new float[w.length];
        float[] bfloatW = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            halfW[i] = Float.float16ToFloat(Float.floatToFloat16(w[i]));
            bfloatW[i] = Float.intBitsToFloat(Float.floatToRawIntBits(w[i]) & 0xffff0000);
        }
        try (CpuBackend backend = new CpuBackend(1)) {
            Matrix input = backend.upload(x, 7, 35);
            Matrix y = backend.allocate(7, 6);
            backend.linear(input, backend.prepareLinear(TestArrays.f16("w", w, 6, 35), null), y);
            TestArrays.assertClose(reference(x, 7, halfW, null, 6, 35), backend.download(y), 1e-5);
            backend.linear(input, backend.prepareLinear(TestArrays.bf16("w", w, 6, 35), null), y);
            TestArrays.assertClose(reference(x, 7, bfloatW, null, 6, 35), backend.download(y), 1e-5);
        }
    }
}
