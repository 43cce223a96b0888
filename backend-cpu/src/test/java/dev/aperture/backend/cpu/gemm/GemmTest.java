package dev.aperture.backend.cpu.gemm;

import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemm against a double-accumulating triple loop.
 *
 * <p>Error bound: every output must satisfy {@code |y - ref| <= 2 k u · (Σ_p |x_p w_p| + |b|)} with
 * {@code u = 2^-24}, the classical worst-case bound for a float dot product of length k (any summation
 * order). A dropped or doubled term, or a wrong tile, breaks it by orders of magnitude.
 */
class GemmTest {
    private static final int[] AWKWARD = {1, 7, 17, 50, 63, 129};
    private static final ComputePool POOL = new ComputePool(2);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    static List<Arguments> awkwardShapes() {
        List<Arguments> shapes = new ArrayList<>();
        for (int m : AWKWARD) {
            for (int n : AWKWARD) {
                for (int k : AWKWARD) {
                    shapes.add(Arguments.of(m, n, k));
                }
            }
        }
        shapes.add(Arguments.of(50, 300, 600));   // several k-blocks, a partial one
        shapes.add(Arguments.of(150, 70, 513));    // several row blocks
        return shapes;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("awkwardShapes")
    void matchesReferenceWithAndWithoutBiasOnOneAndTwoThreads(int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(31L * m + 17L * n + k);
        float[] x = randomFloats(random, m * k);
        float[] w = randomFloats(random, n * k);
        float[] bias = randomFloats(random, n);
        PackedMatrix packed = PackedMatrix.pack(w, n, k);
        for (int threads = 1; threads <= 2; threads++) {
            Gemm gemm = new Gemm(POOL, threads);
            for (float[] b : new float[][] {null, bias}) {
                float[] y = new float[m * n];
                gemm.multiply(x, m, packed, b, y);
                assertWithinBound(x, w, b, m, n, k, y, "threads=" + threads + " bias=" + (b != null));
            }
        }
    }

    @Test
    void packsF16AndBf16SourcesToF32Panels() {
        int m = 17;
        int n = 63;
        int k = 129;
        SplittableRandom random = new SplittableRandom(5);
        float[] x = randomFloats(random, m * k);
        float[] bias = randomFloats(random, n);
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            short[] bits = randomHalfBits(random, n * k, dtype);
            PackedMatrix packed = PackedMatrix.pack(segmentOf(bits), dtype, n, k);
            assertEquals(PanelFormat.F32, packed.format());
            float[] y = new float[m * n];
            new Gemm(POOL, 2).multiply(x, m, packed, bias, y);
            assertWithinBound(x, decode(bits, dtype), bias, m, n, k, y, dtype + " packed to f32");
        }
    }

    @Test
    void multipliesWithSixteenBitPanelsOnAwkwardShapes() {
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            for (int[] shape : new int[][] {{1, 1, 1}, {7, 17, 50}, {50, 129, 63}, {63, 50, 300}, {30, 300, 520}}) {
                int m = shape[0];
                int n = shape[1];
                int k = shape[2];
                SplittableRandom random = new SplittableRandom(m * 1000L + n * 10L + k);
                float[] x = randomFloats(random, m * k);
                float[] bias = randomFloats(random, n);
                short[] bits = randomHalfBits(random, n * k, dtype);
                PackedMatrix packed = PackedMatrix.packHalf(segmentOf(bits), dtype, n, k);
                assertEquals(dtype == DType.F16 ? PanelFormat.F16 : PanelFormat.BF16, packed.format());
                assertTrue(packed.byteSize() < 4L * Gemm.panelWidth() * PackedMatrix.panelCount(n, Gemm.panelWidth()) * k,
                        "16-bit panels take less memory than f32 panels");
                float[] fromF32Panels = new float[m * n];
                new Gemm(POOL, 1).multiply(x, m, PackedMatrix.pack(segmentOf(bits), dtype, n, k), bias, fromF32Panels);
                for (int threads = 1; threads <= 2; threads++) {
                    float[] y = new float[m * n];
                    new Gemm(POOL, threads).multiply(x, m, packed, bias, y);
                    assertWithinBound(x, decode(bits, dtype), bias, m, n, k, y,
                            dtype + " panels threads=" + threads);
                    // the same f32 values in the same order: 16-bit panels change the memory, not one bit of y
                    assertArrayEquals(fromF32Panels, y, dtype + " panels against f32 panels, threads=" + threads);
                }
            }
        }
    }

    @Test
    void widensEveryFiniteF16Exactly() {
        int lanes = MicroKernel.LANES;
        short[] bits = new short[lanes];
        for (int value = 0; value < 0x10000; value += lanes) {
            for (int lane = 0; lane < lanes; lane++) {
                int candidate = value + lane;
                // infinities and NaNs are rejected at pack time; substitute zero for them here
                bits[lane] = (short) ((candidate & 0x7C00) == 0x7C00 ? 0 : candidate);
            }
            float[] widened = PanelWidening.widenF16(MemorySegment.ofArray(bits), 0).toArray();
            for (int lane = 0; lane < lanes; lane++) {
                assertEquals(Float.float16ToFloat(bits[lane]), widened[lane], 0f,
                        "F16 bits 0x" + Integer.toHexString(bits[lane] & 0xFFFF));
            }
        }
    }

    @Test
    void widensEveryBf16Exactly() {
        int lanes = MicroKernel.LANES;
        short[] bits = new short[lanes];
        for (int value = 0; value < 0x10000; value += lanes) {
            for (int lane = 0; lane < lanes; lane++) {
                bits[lane] = (short) (value + lane);
            }
            float[] widened = PanelWidening.widenBf16(MemorySegment.ofArray(bits), 0).toArray();
            for (int lane = 0; lane < lanes; lane++) {
                assertEquals(Float.floatToRawIntBits(Float.intBitsToFloat(bits[lane] << 16)),
                        Float.floatToRawIntBits(widened[lane]), "BF16 bits 0x" + Integer.toHexString(bits[lane] & 0xFFFF));
            }
        }
    }

    @Test
    void productsOfOneInputInOneCallEqualSeparateCallsBitForBit() {
        int m = 77;
        int k = 300;
        SplittableRandom random = new SplittableRandom(17);
        float[] x = randomFloats(random, m * k);
        int[] widths = {64, 100, 33};
        List<Product> products = new ArrayList<>();
        List<float[]> separate = new ArrayList<>();
        for (int n : widths) {
            PackedMatrix packed = PackedMatrix.pack(randomFloats(random, n * k), n, k);
            float[] bias = randomFloats(random, n);
            float[] y = new float[m * n];
            new Gemm(POOL, 1).multiply(x, m, packed, bias, y);
            separate.add(y);
            products.add(Product.of(packed, bias, new float[m * n]));
        }
        new Gemm(POOL, 2).multiply(x, m, products);
        for (int i = 0; i < widths.length; i++) {
            assertArrayEquals(separate.get(i), products.get(i).y(), "product " + i);
        }
    }

    @Test
    void residualAndFunctionInTheEpilogueEqualSeparatePassesBitForBit() {
        Product.Elementwise halveAndSquare = (values, start, end) -> {
            for (int i = start; i < end; i++) {
                values[i] = values[i] * 0.5f * values[i];
            }
        };
        for (int[] shape : new int[][] {{12, 64, 256}, {13, 70, 700}, {1, 5, 3}}) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            SplittableRandom random = new SplittableRandom(m + n + k);
            float[] x = randomFloats(random, m * k);
            PackedMatrix packed = PackedMatrix.pack(randomFloats(random, n * k), n, k);
            float[] bias = randomFloats(random, n);
            float[] residual = randomFloats(random, m * n);
            float[] plain = new float[m * n];
            new Gemm(POOL, 1).multiply(x, m, packed, bias, plain);
            float[] plainPlusResidual = plain.clone();
            for (int i = 0; i < plain.length; i++) {
                plainPlusResidual[i] = plain[i] + residual[i];
            }
            float[] plainThenFunction = plain.clone();
            halveAndSquare.apply(plainThenFunction, 0, plainThenFunction.length);
            for (int threads = 1; threads <= 2; threads++) {
                Product withResidual = new Product(packed, bias, new float[m * n], residual, null);
                Product withFunction = new Product(packed, bias, new float[m * n], null, halveAndSquare);
                new Gemm(POOL, threads).multiply(x, m, List.of(withResidual, withFunction));
                assertArrayEquals(plainPlusResidual, withResidual.y(), "residual, " + m + "x" + n + "x" + k);
                assertArrayEquals(plainThenFunction, withFunction.y(), "function, " + m + "x" + n + "x" + k);
            }
        }
    }

    @Test
    void refusesProductsThatCannotShareOneInput() {
        PackedMatrix narrow = PackedMatrix.pack(new float[4 * 3], 4, 3);
        PackedMatrix deeper = PackedMatrix.pack(new float[4 * 5], 4, 5);
        float[] y = new float[2 * 4];
        assertThrows(InputException.class, () -> new Gemm(POOL, 1).multiply(new float[2 * 5], 2,
                List.of(Product.of(narrow, null, y), Product.of(deeper, null, new float[2 * 4]))));
        assertThrows(InputException.class, () -> new Gemm(POOL, 1).multiply(new float[2 * 3], 2,
                List.of(new Product(narrow, null, y, y, null))));
    }

    @Test
    void twoThreadsGiveBitwiseTheSameResultAsOne() {
        int m = 129;
        int n = 300;
        int k = 600;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = randomFloats(random, m * k);
        PackedMatrix packed = PackedMatrix.pack(randomFloats(random, n * k), n, k);
        float[] bias = randomFloats(random, n);
        float[] single = new float[m * n];
        float[] parallel = new float[m * n];
        new Gemm(POOL, 1).multiply(x, m, packed, bias, single);
        new Gemm(POOL, 2).multiply(x, m, packed, bias, parallel);
        assertArrayEquals(single, parallel);
    }

    @Test
    void concurrentCallersOnOneGemmEachGetTheirOwnResult() throws Exception {
        int m = 50;
        int n = 129;
        int k = 300;
        SplittableRandom random = new SplittableRandom(13);
        PackedMatrix packed = PackedMatrix.pack(randomFloats(random, n * k), n, k);
        Gemm gemm = new Gemm(POOL, 2);
        float[][] inputs = {randomFloats(random, m * k), randomFloats(random, m * k)};
        float[][] expected = new float[2][m * n];
        for (int caller = 0; caller < 2; caller++) {
            new Gemm(POOL, 1).multiply(inputs[caller], m, packed, null, expected[caller]);
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
            for (int caller = 0; caller < 2; caller++) {
                float[] input = inputs[caller];
                results.add(callers.submit(() -> {
                    float[] y = new float[m * n];
                    for (int round = 0; round < 50; round++) {
                        gemm.multiply(input, m, packed, null, y);
                    }
                    return y;
                }));
            }
            for (int caller = 0; caller < 2; caller++) {
                assertArrayEquals(expected[caller], results.get(caller).get(), "caller " + caller);
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void zeroRowsIsANoOp() {
        float[] y = {7f};
        new Gemm(POOL, 2).multiply(new float[0], 0, PackedMatrix.pack(new float[] {1f}, 1, 1), null, y);
        assertEquals(7f, y[0]);
    }

    @Test
    void rejectsOutputTooShortForTheShape() {
        PackedMatrix packed = PackedMatrix.pack(new float[6], 2, 3);
        InputException e = assertThrows(InputException.class,
                () -> new Gemm(POOL, 1).multiply(new float[6], 2, packed, null, new float[3]));
        assertTrue(e.getMessage().contains("output y"), e.getMessage());
    }

    @Test
    void rejectsInputTooShortForTheShape() {
        PackedMatrix packed = PackedMatrix.pack(new float[6], 2, 3);
        assertThrows(InputException.class,
                () -> new Gemm(POOL, 1).multiply(new float[5], 2, packed, null, new float[4]));
    }

    @Test
    void rejectsBiasShorterThanTheOutputFeatures() {
        PackedMatrix packed = PackedMatrix.pack(new float[6], 2, 3);
        assertThrows(InputException.class,
                () -> new Gemm(POOL, 1).multiply(new float[6], 2, packed, new float[1], new float[4]));
    }

    @Test
    void rejectsWeightsWhoseLengthDisagreesWithTheShape() {
        InputException e = assertThrows(InputException.class, () -> PackedMatrix.pack(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void rejectsInfiniteF16WeightsForSixteenBitPanels() {
        short[] bits = {0x3C00, 0x7C00};
        InputException e = assertThrows(InputException.class,
                () -> PackedMatrix.packHalf(segmentOf(bits), DType.F16, 1, 2));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void packsEachDtypeAsStoredAndNonFiniteF16IntoF32Panels() {
        short[] finite = {0x3C00, (short) 0xC000};
        assertEquals(PanelFormat.F16, PackedMatrix.packAsStored(segmentOf(finite), DType.F16, 1, 2).format());
        assertEquals(PanelFormat.BF16, PackedMatrix.packAsStored(segmentOf(finite), DType.BF16, 1, 2).format());
        assertEquals(PanelFormat.F32,
                PackedMatrix.packAsStored(MemorySegment.ofArray(new float[] {1f, 2f}), DType.F32, 1, 2).format());
        // 1.0 and +infinity: kept exact in f32 panels, so the product is infinite as the file's weights say
        short[] infinite = {0x3C00, 0x7C00};
        PackedMatrix packed = PackedMatrix.packAsStored(segmentOf(infinite), DType.F16, 1, 2);
        assertEquals(PanelFormat.F32, packed.format());
        float[] y = new float[1];
        new Gemm(POOL, 1).multiply(new float[] {2f, 1f}, 1, packed, null, y);
        assertEquals(Float.POSITIVE_INFINITY, y[0]);
    }

    @Test
    void rejectsUnsupportedDtypes() {
        assertThrows(InputException.class, () -> PackedMatrix.pack(MemorySegment.ofArray(new int[6]), DType.I32, 2, 3));
        assertThrows(InputException.class, () -> PackedMatrix.packHalf(MemorySegment.ofArray(new float[6]), DType.F32, 2, 3));
    }

    // ---- helpers ----

    static void assertWithinBound(float[] x, float[] w, float[] bias, int m, int n, int k, float[] y, String what) {
        double unitRoundoff = Math.scalb(1.0, -24);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = bias == null ? 0 : bias[j];
                double magnitude = bias == null ? 0 : Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    double term = (double) x[i * k + p] * w[j * k + p];
                    sum += term;
                    magnitude += Math.abs(term);
                }
                double bound = 2 * (k + 1) * unitRoundoff * magnitude;
                double error = Math.abs(y[i * n + j] - sum);
                if (!(error <= bound)) {
                    throw new AssertionError(what + " m=" + m + " n=" + n + " k=" + k + ": y[" + i + ", " + j + "] = "
                            + y[i * n + j] + ", reference " + sum + ", error " + error + " > bound " + bound);
                }
            }
        }
    }

    static float[] randomFloats(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    /** Random finite 16-bit weights, F16 ones including subnormals (about one in eight). */
    static short[] randomHalfBits(SplittableRandom random, int count, DType dtype) {
        short[] bits = new short[count];
        for (int i = 0; i < count; i++) {
            float value = (float) (random.nextDouble() * 2 - 1);
            if (dtype == DType.F16) {
                bits[i] = random.nextInt(8) == 0
                        ? (short) ((random.nextBoolean() ? 0x8000 : 0) | random.nextInt(1, 0x400))
                        : Float.floatToFloat16(value);
            } else {
                bits[i] = (short) (Float.floatToRawIntBits(value) >>> 16);
            }
        }
        return bits;
    }

    static float[] decode(short[] bits, DType dtype) {
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] = dtype == DType.F16 ? Float.float16ToFloat(bits[i]) : Float.intBitsToFloat(bits[i] << 16);
        }
        return values;
    }

    static MemorySegment segmentOf(short[] bits) {
        MemorySegment segment = MemorySegment.ofArray(new byte[bits.length * 2]);
        for (int i = 0; i < bits.length; i++) {
            segment.setAtIndex(I16_LE, i, bits[i]);
        }
        return segment;
    }
}
