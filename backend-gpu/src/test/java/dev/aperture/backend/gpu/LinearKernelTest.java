package dev.aperture.backend.gpu;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiled GEMM {@code y = x·Wᵀ + b} against a double-precision reference, at sizes that are not multiples of
 * the 32×32×16 tile. Tolerance: |error| ≤ 1e-5 · (Σ|x·w| + |b|) per output, i.e. relative to the magnitude float32
 * rounding is proportional to (observed errors are ~1e-7 of it).
 */
class LinearKernelTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;
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

    @ParameterizedTest(name = "[{0} × {1}] · [{2} × {1}]ᵀ")
    @CsvSource({"1, 48, 64", "7, 100, 33", "33, 64, 100", "50, 48, 65", "65, 100, 48", "1, 1, 1", "64, 32, 32",
                "3, 771, 5"})
    void matchesReferenceWithBias(int rows, int in, int out) {
        Random random = new Random(rows * 1000L + in * 10L + out);
        float[] x = OpenClTestSupport.randomValues(random, rows * in, 1);
        float[] weight = OpenClTestSupport.randomValues(random, out * in, 0.5f);
        float[] bias = OpenClTestSupport.randomValues(random, out, 1);
        LinearWeights prepared = backend.prepareLinear(OpenClTestSupport.f32Tensor("w", weight, out, in),
                OpenClTestSupport.f32Tensor("b", bias, out));
        assertLinearMatches(x, weight, bias, prepared, rows, in, out);
    }

    @Test
    void matchesReferenceWithoutBias() {
        Random random = new Random(7);
        int rows = 17, in = 48, out = 65;
        float[] x = OpenClTestSupport.randomValues(random, rows * in, 1);
        float[] weight = OpenClTestSupport.randomValues(random, out * in, 1);
        LinearWeights prepared = backend.prepareLinear(OpenClTestSupport.f32Tensor("w", weight, out, in), null);
        assertLinearMatches(x, weight, null, prepared, rows, in, out);
    }

    @Test
    void flattensTrailingWeightDimensionsLikeAConvolutionKernel() {
        Random random = new Random(11);
        int rows = 5, out = 9, channels = 3, patch = 4;   // [out, channels, patch, patch] → in = 48
        int in = channels * patch * patch;
        float[] x = OpenClTestSupport.randomValues(random, rows * in, 1);
        float[] weight = OpenClTestSupport.randomValues(random, out * in, 1);
        LinearWeights prepared = backend.prepareLinear(
                OpenClTestSupport.f32Tensor("conv", weight, out, channels, patch, patch), null);
        assertEquals(in, prepared.inFeatures());
        assertEquals(out, prepared.outFeatures());
        assertLinearMatches(x, weight, null, prepared, rows, in, out);
    }

    @Test
    void widensF16WeightsOnUpload() {
        Random random = new Random(13);
        int rows = 7, in = 50, out = 33;
        short[] bits = new short[out * in];
        float[] widened = new float[out * in];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToFloat16(random.nextFloat() * 2 - 1);
            widened[i] = Float.float16ToFloat(bits[i]);
        }
        float[] x = OpenClTestSupport.randomValues(random, rows * in, 1);
        LinearWeights prepared = backend.prepareLinear(
                OpenClTestSupport.halfTensor("w16", DType.F16, bits, out, in), null);
        assertLinearMatches(x, widened, null, prepared, rows, in, out);
    }

    @Test
    void widensBf16WeightsOnUpload() {
        Random random = new Random(17);
        int rows = 7, in = 50, out = 33;
        short[] bits = new short[out * in];
        float[] widened = new float[out * in];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (short) (Float.floatToIntBits(random.nextFloat() * 2 - 1) >>> 16);
            widened[i] = Float.intBitsToFloat((bits[i] & 0xffff) << 16);
        }
        float[] x = OpenClTestSupport.randomValues(random, rows * in, 1);
        LinearWeights prepared = backend.prepareLinear(
                OpenClTestSupport.halfTensor("wbf16", DType.BF16, bits, out, in), null);
        assertLinearMatches(x, widened, null, prepared, rows, in, out);
    }

    @Test
    void rejectsBiasOfTheWrongLength() {
        float[] weight = new float[6 * 4];
        var error = assertThrows(ModelMismatchException.class, () -> backend.prepareLinear(
                OpenClTestSupport.f32Tensor("proj.weight", weight, 6, 4),
                OpenClTestSupport.f32Tensor("proj.bias", new float[5], 5)));
        assertTrue(error.getMessage().contains("proj.bias"), error.getMessage());
    }

    @Test
    void rejectsInputWithTheWrongWidth() {
        LinearWeights prepared = backend.prepareLinear(
                OpenClTestSupport.f32Tensor("w", new float[6 * 4], 6, 4), null);
        try (Matrix x = backend.allocate(2, 5); Matrix y = backend.allocate(2, 6)) {
            assertThrows(IllegalArgumentException.class, () -> backend.linear(x, prepared, y));
        }
    }

    private static void assertLinearMatches(float[] x, float[] weight, float[] bias, LinearWeights prepared,
                                            int rows, int in, int out) {
        double[] expected = References.linear(x, weight, bias, rows, in, out);
        double[] magnitude = References.linearMagnitude(x, weight, bias, rows, in, out);
        float[] actual;
        try (Matrix input = backend.upload(x, rows, in); Matrix output = backend.allocate(rows, out)) {
            backend.linear(input, prepared, output);
            actual = backend.download(output);
        }
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            worst = Math.max(worst, error / Math.max(magnitude[i], 1e-30));
            assertTrue(error <= RELATIVE_TOLERANCE * magnitude[i] + 1e-30, "output " + i / out + "," + i % out
                    + ": expected " + expected[i] + ", got " + actual[i]);
        }
        System.out.printf("linear [%d×%d]·[%d×%d]ᵀ: worst error %.3g of Σ|x·w|+|b|%n", rows, in, out, in, worst);
        assertTrue(worst <= RELATIVE_TOLERANCE, "worst relative error " + worst);
    }
}
