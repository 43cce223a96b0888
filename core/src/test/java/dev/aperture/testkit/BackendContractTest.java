package dev.aperture.testkit;

import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.BackendOptions;
import dev.aperture.core.backend.BackendProvider;
import dev.aperture.core.backend.BackendProviders;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one contract every {@link Backend} meets: the same inputs, the same tolerances and the same exceptions for
 * the same faults (see "Faults" in {@link Backend}). A backend module runs it by extending this class with the name
 * its {@link BackendProvider} registers:
 * <pre>
 *   class CpuBackendContractTest extends BackendContractTest {
 *       CpuBackendContractTest() { super("cpu"); }
 *   }
 * </pre>
 * The backend is found the way users find it, through {@link ServiceLoader}, and opened with
 * {@link #options()}. When the provider says it is unavailable here (no OpenCL driver) the suite is skipped,
 * unless the environment variable {@code CI} is set: then it fails, since a suite that silently skips in CI tests
 * nothing.
 *
 * <p>Tolerances, with inputs in [-1, 1] unless a test says otherwise: linear within 1e-5 of Σ|x·w| + |b| per output
 * (float32 dot-product rounding is proportional to it); layer norm 2e-5 absolute; activations 1e-5 of
 * max(1, |expected|); attention 1e-5 absolute; data movement (upload, add, gather) exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    private static final double LINEAR_TOLERANCE = 1e-5;
    private static final double LAYER_NORM_TOLERANCE = 2e-5;
    private static final double ACTIVATION_TOLERANCE = 1e-5;
    private static final double ATTENTION_TOLERANCE = 1e-5;

    private final String backendName;
    private BackendProvider provider;
    private Backend backend;

    /** @param backendName the name the module's provider registers, e.g. {@code "cpu"} */
    protected BackendContractTest(String backendName) {
        this.backendName = backendName;
    }

    /** How the suite opens its backends; override to choose a device. Two threads, so work is split. */
    protected BackendOptions options() {
        return BackendOptions.defaults().withThreads(2);
    }

    @BeforeAll
    void openSharedBackend() {
        provider = BackendProviders.find(backendName);
        BackendProvider.Availability availability = provider.availability();
        if (!availability.available() && runningInCi()) {
            fail("Backend '" + backendName + "' is required in CI (environment variable CI is set) but is"
                    + " unavailable: " + availability.reason());
        }
        assumeTrue(availability.available(),
                () -> "Backend '" + backendName + "' unavailable, skipping: " + availability.reason());
        backend = provider.open(options());
    }

    @AfterAll
    void closeSharedBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** The backend shared by the tests that do not close it. */
    protected final Backend backend() {
        return backend;
    }

    /** A second backend of the same kind, for tests that close it or mix two. */
    protected final Backend openAnother() {
        return provider.open(options());
    }

    @Nested
    class Registration {
        @Test
        void isFoundByServiceLoaderUnderItsName() {
            List<String> names = ServiceLoader.load(BackendProvider.class).stream()
                    .map(p -> p.get().name()).toList();
            assertTrue(names.contains(backendName), "ServiceLoader found " + names);
        }

        @Test
        void opensABackendOfTheSameName() {
            assertEquals(backendName, backend.name());
        }

        @Test
        void isOpenedByNameThroughTheLookup() {
            try (Backend opened = BackendProviders.open(backendName, options())) {
                assertEquals(backendName, opened.name());
            }
        }

        @Test
        void saysWhatItRunsOn() {
            assertFalse(provider.availability().reason().isBlank());
        }
    }

    @Nested
    class Memory {
        @Test
        void uploadThenDownloadReturnsTheSameValues() {
            float[] values = random(1, 33 * 7, 100);
            try (Matrix matrix = backend.upload(values, 33, 7)) {
                assertEquals(33, matrix.rows());
                assertEquals(7, matrix.cols());
                assertArrayEquals(values, backend.download(matrix));
            }
        }

        @Test
        void uploadCopiesTheValues() {
            float[] values = {1, 2, 3, 4};
            try (Matrix matrix = backend.upload(values, 2, 2)) {
                values[0] = 99;
                assertArrayEquals(new float[] {1, 2, 3, 4}, backend.download(matrix));
            }
        }

        @Test
        void adoptedValuesReadBackAsUploadedOnes() {
            float[] values = random(2, 6 * 5, 10);
            try (Matrix adopted = backend.adopt(values.clone(), 6, 5); Matrix uploaded = backend.upload(values, 6, 5)) {
                assertEquals(6, adopted.rows());
                assertEquals(5, adopted.cols());
                assertArrayEquals(backend.download(uploaded), backend.download(adopted));
            }
        }

        @Test
        void adoptRefusesAValueCountThatDoesNotMatchTheShape() {
            assertThrows(InputException.class, () -> backend.adopt(new float[5], 2, 3));
        }

        @Test
        void downloadReturnsACopy() {
            try (Matrix matrix = backend.upload(new float[] {1, 2}, 1, 2)) {
                backend.download(matrix)[0] = 99;
                assertArrayEquals(new float[] {1, 2}, backend.download(matrix));
            }
        }

        @Test
        void allocateGivesTheRequestedShape() {
            try (Matrix matrix = backend.allocate(5, 3)) {
                assertEquals(5, matrix.rows());
                assertEquals(3, matrix.cols());
                assertEquals(15, backend.download(matrix).length);
            }
        }

        @Test
        void emptyMatricesAreAllowed() {
            try (Matrix empty = backend.allocate(0, 8); Matrix other = backend.allocate(0, 8);
                 Matrix uploaded = backend.upload(new float[0], 0, 3)) {
                backend.add(empty, other);
                assertEquals(0, backend.download(empty).length);
                assertEquals(0, backend.download(uploaded).length);
            }
        }

        @Test
        void operationsTakeEffectInCallOrder() {
            try (Matrix x = backend.upload(new float[] {1, 2, 3}, 1, 3);
                 Matrix one = backend.upload(new float[] {1, 1, 1}, 1, 3)) {
                for (int i = 0; i < 100; i++) {
                    backend.add(x, one);
                }
                assertArrayEquals(new float[] {101, 102, 103}, backend.download(x));
            }
        }
    }

    @Nested
    class Linear {
        @ParameterizedTest(name = "[{0} × {1}] · [{2} × {1}]ᵀ")
        @CsvSource({"1, 1, 1", "3, 7, 5", "4, 16, 2", "1, 48, 64", "7, 100, 33", "33, 64, 100", "37, 33, 19",
                    "50, 48, 65", "64, 32, 32", "65, 100, 48", "70, 129, 65", "3, 771, 5", "5, 1000, 33"})
        void matchesReferenceWithBias(int rows, int in, int out) {
            Random random = new Random(rows * 1000L + in * 10L + out);
            float[] x = random(random, rows * in, 1);
            float[] weight = random(random, out * in, 0.5f);
            float[] bias = random(random, out, 1);
            LinearWeights prepared = backend.prepareLinear(f32("w", weight, out, in), f32("b", bias, out));
            assertLinearMatches(x, weight, bias, prepared, rows, in, out);
        }

        @Test
        void matchesReferenceWithoutBias() {
            Random random = new Random(7);
            int rows = 17, in = 48, out = 65;
            float[] x = random(random, rows * in, 1);
            float[] weight = random(random, out * in, 1);
            assertLinearMatches(x, weight, null, backend.prepareLinear(f32("w", weight, out, in), null), rows, in, out);
        }

        @ParameterizedTest
        @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
        void matchesReferenceForEachWeightTypeWithAndWithoutBias(DType dtype) {
            Random random = new Random(13 + dtype.ordinal());
            int rows = 7, in = 50, out = 33;
            float[] weight = widened(dtype, random(random, out * in, 1));
            float[] bias = widened(dtype, random(random, out, 1));
            float[] x = random(random, rows * in, 1);
            assertLinearMatches(x, weight, bias, backend.prepareLinear(tensor("w", dtype, weight, out, in),
                    tensor("b", dtype, bias, out)), rows, in, out);
            assertLinearMatches(x, weight, null, backend.prepareLinear(tensor("w", dtype, weight, out, in), null),
                    rows, in, out);
        }

        @Test
        void flattensTrailingWeightDimensionsLikeAConvolutionKernel() {
            Random random = new Random(11);
            int rows = 5, out = 9, channels = 3, patch = 4;   // [out, channels, patch, patch] → in = 48
            int in = channels * patch * patch;
            float[] x = random(random, rows * in, 1);
            float[] weight = random(random, out * in, 1);
            LinearWeights prepared = backend.prepareLinear(f32("conv", weight, out, channels, patch, patch), null);
            assertEquals(in, prepared.inFeatures());
            assertEquals(out, prepared.outFeatures());
            assertLinearMatches(x, weight, null, prepared, rows, in, out);
        }

        @Test
        void emptyInputGivesEmptyOutput() {
            LinearWeights prepared = backend.prepareLinear(f32("w", new float[6 * 4], 6, 4), null);
            try (Matrix x = backend.allocate(0, 4); Matrix y = backend.allocate(0, 6)) {
                backend.linear(x, prepared, y);
                assertEquals(0, backend.download(y).length);
            }
        }

        @Test
        void concurrentCallsOnDistinctMatricesAreCorrect() throws Exception {
            int rows = 9, in = 40, out = 24, threads = 4, rounds = 20;
            float[] weight = random(new Random(99), out * in, 1);
            LinearWeights prepared = backend.prepareLinear(f32("w", weight, out, in), null);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<Double>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    float[] x = random(new Random(t), rows * in, 1);
                    double[] expected = BackendReferences.linear(x, weight, null, rows, in, out);
                    double[] magnitude = BackendReferences.linearMagnitude(x, weight, null, rows, in, out);
                    results.add(pool.submit(() -> {
                        double worst = 0;
                        for (int round = 0; round < rounds; round++) {
                            try (Matrix input = backend.upload(x, rows, in);
                                 Matrix output = backend.allocate(rows, out)) {
                                backend.linear(input, prepared, output);
                                float[] actual = backend.download(output);
                                worst = Math.max(worst, worstRelativeError(expected, magnitude, actual));
                            }
                        }
                        return worst;
                    }));
                }
                for (Future<Double> result : results) {
                    assertTrue(result.get() <= LINEAR_TOLERANCE, "a thread saw a linear error of " + result.get());
                }
            }
        }

        @ParameterizedTest(name = "{0} on [{1} × {2}] · [{3} × {2}]ᵀ")
        @CsvSource({"GELU, 5, 48, 33", "QUICK_GELU, 50, 768, 97", "GELU_TANH, 7, 300, 64"})
        void withItsActivationEqualsLinearThenActivateBitForBit(Activation function, int rows, int in, int out) {
            Random random = new Random(rows + in + out);
            LinearWeights prepared = backend.prepareLinear(f32("w", random(random, out * in, 0.5f), out, in),
                    f32("b", random(random, out, 1), out));
            try (Matrix x = backend.upload(random(random, rows * in, 1), rows, in);
                 Matrix separate = backend.allocate(rows, out); Matrix fused = backend.allocate(rows, out)) {
                backend.linear(x, prepared, separate);
                backend.activate(function, separate);
                backend.linear(x, prepared, function, fused);
                assertArrayEquals(backend.download(separate), backend.download(fused));
            }
        }

        @ParameterizedTest(name = "[{0} × {1}] · [{2} × {1}]ᵀ + residual")
        @CsvSource({"5, 48, 33", "50, 768, 97", "7, 3072, 64"})
        void plusAResidualEqualsLinearThenAddBitForBit(int rows, int in, int out) {
            Random random = new Random(rows * 3 + in + out);
            float[] residualValues = random(random, rows * out, 1);
            LinearWeights prepared = backend.prepareLinear(f32("w", random(random, out * in, 0.5f), out, in),
                    f32("b", random(random, out, 1), out));
            try (Matrix x = backend.upload(random(random, rows * in, 1), rows, in);
                 Matrix residual = backend.upload(residualValues, rows, out);
                 Matrix separate = backend.allocate(rows, out); Matrix fused = backend.allocate(rows, out)) {
                backend.linear(x, prepared, separate);
                backend.add(separate, residual);
                backend.linearAdd(x, prepared, residual, fused);
                assertArrayEquals(backend.download(separate), backend.download(fused));
                assertArrayEquals(residualValues, backend.download(residual), "the residual is left unchanged");
            }
        }

        @Test
        void severalLayersOfOneInputEqualOneCallEachBitForBit() {
            Random random = new Random(21);
            int rows = 50, in = 64;
            int[] outs = {64, 64, 30};
            float[] x = random(random, rows * in, 1);
            List<LinearWeights> layers = new ArrayList<>();
            for (int out : outs) {
                layers.add(backend.prepareLinear(f32("w", random(random, out * in, 0.5f), out, in),
                        f32("b", random(random, out, 1), out)));
            }
            try (Matrix input = backend.upload(x, rows, in); Matrix q = backend.allocate(rows, outs[0]);
                 Matrix k = backend.allocate(rows, outs[1]); Matrix v = backend.allocate(rows, outs[2]);
                 Matrix one = backend.allocate(rows, outs[2])) {
                backend.linear(input, layers, List.of(q, k, v));
                List<Matrix> together = List.of(q, k, v);
                for (int i = 0; i < outs.length; i++) {
                    try (Matrix alone = backend.allocate(rows, outs[i])) {
                        backend.linear(input, layers.get(i), alone);
                        assertArrayEquals(backend.download(alone), backend.download(together.get(i)), "layer " + i);
                    }
                }
                assertThrows(InputException.class, () -> backend.linear(input, layers, List.of(q, k)));
                assertThrows(InputException.class, () -> backend.linear(input, layers, List.of(q, k, k)));
                assertThrows(InputException.class, () -> backend.linear(input, layers.subList(0, 2),
                        List.of(q, one)));
            }
        }

        @Test
        void plusAResidualRefusesTheOutputAsItsOwnResidualAndAResidualOfAnotherShape() {
            LinearWeights prepared = backend.prepareLinear(f32("w", new float[6 * 4], 6, 4), null);
            try (Matrix x = backend.allocate(2, 4); Matrix y = backend.allocate(2, 6);
                 Matrix narrow = backend.allocate(2, 5)) {
                assertThrows(InputException.class, () -> backend.linearAdd(x, prepared, y, y));
                assertThrows(InputException.class, () -> backend.linearAdd(x, prepared, narrow, y));
            }
        }

        private void assertLinearMatches(float[] x, float[] weight, float[] bias, LinearWeights prepared, int rows,
                                         int in, int out) {
            double[] expected = BackendReferences.linear(x, weight, bias, rows, in, out);
            double[] magnitude = BackendReferences.linearMagnitude(x, weight, bias, rows, in, out);
            float[] actual;
            try (Matrix input = backend.upload(x, rows, in); Matrix output = backend.allocate(rows, out)) {
                backend.linear(input, prepared, output);
                actual = backend.download(output);
            }
            double worst = worstRelativeError(expected, magnitude, actual);
            assertTrue(worst <= LINEAR_TOLERANCE, "linear [" + rows + "×" + in + "]·[" + out + "×" + in
                    + "]ᵀ: worst error " + worst + " of Σ|x·w|+|b|");
        }

        private static double worstRelativeError(double[] expected, double[] magnitude, float[] actual) {
            assertEquals(expected.length, actual.length);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(actual[i] - expected[i]) / Math.max(magnitude[i], 1e-30);
                worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : Math.max(worst, error);
            }
            return worst;
        }
    }

    @Nested
    class LayerNorm {
        @ParameterizedTest(name = "{0} rows × {1} columns")
        @CsvSource({"1, 1", "2, 1", "3, 7", "1, 48", "17, 48", "33, 64", "9, 77", "7, 100", "40, 768", "65, 768",
                    "3, 1031"})
        void matchesReference(int rows, int cols) {
            Random random = new Random(rows * 31L + cols);
            float[] x = random(random, rows * cols, 3);
            for (int i = 0; i < x.length; i++) {
                x[i] += 10;   // an offset mean: a one-pass E[x²] − E[x]² would lose digits here
            }
            float[] gamma = random(random, cols, 2);
            float[] beta = random(random, cols, 1);
            float eps = 1e-5f;
            double[] expected = BackendReferences.layerNorm(x, gamma, beta, eps, rows, cols);
            float[] actual;
            try (Matrix input = backend.upload(x, rows, cols);
                 Matrix scale = backend.upload(gamma, 1, cols);
                 Matrix shift = backend.upload(beta, 1, cols);
                 Matrix output = backend.allocate(rows, cols)) {
                backend.layerNorm(input, scale, shift, eps, output);
                actual = backend.download(output);
            }
            assertWithin(expected, actual, LAYER_NORM_TOLERANCE, "layerNorm " + rows + "×" + cols);
        }
    }

    @Nested
    class Activations {
        @ParameterizedTest
        @EnumSource(Activation.class)
        void matchesReferenceInPlace(Activation function) {
            int rows = 13, cols = 100;
            float[] x = random(new Random(function.ordinal()), rows * cols, 8);
            x[0] = 0;
            x[1] = -0.0f;
            float[] actual;
            try (Matrix matrix = backend.upload(x, rows, cols)) {
                backend.activate(function, matrix);
                actual = backend.download(matrix);
            }
            for (int i = 0; i < x.length; i++) {
                double expected = BackendReferences.activation(function, x[i]);
                assertEquals(expected, actual[i], ACTIVATION_TOLERANCE * Math.max(1, Math.abs(expected)),
                        function + "(" + x[i] + ")");
            }
        }

        @Test
        void geluAndItsTanhApproximationDiffer() {
            // Guards against the kernels being swapped: at x = -3 the two formulas differ far beyond the tolerance.
            assertTrue(Math.abs(BackendReferences.gelu(-3) - BackendReferences.geluTanh(-3)) > 1e-4);
            try (Matrix a = backend.upload(new float[] {-3f}, 1, 1);
                 Matrix b = backend.upload(new float[] {-3f}, 1, 1)) {
                backend.activate(Activation.GELU, a);
                backend.activate(Activation.GELU_TANH, b);
                assertEquals(BackendReferences.gelu(-3), backend.download(a)[0], 1e-6);
                assertEquals(BackendReferences.geluTanh(-3), backend.download(b)[0], 1e-6);
            }
        }
    }

    @Nested
    class RowOperations {
        @Test
        void addIsElementWiseAndLeavesTheAddendUnchanged() {
            Random random = new Random(2);
            int rows = 65, cols = 100;
            float[] x = random(random, rows * cols, 1);
            float[] y = random(random, rows * cols, 1);
            float[] expected = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = x[i] + y[i];
            }
            try (Matrix a = backend.upload(x, rows, cols); Matrix b = backend.upload(y, rows, cols)) {
                backend.add(a, b);
                assertArrayEquals(expected, backend.download(a));
                assertArrayEquals(y, backend.download(b));
            }
        }

        @Test
        void addRowsPeriodicAddsTableRowModuloPeriod() {
            Random random = new Random(3);
            int sequences = 3, period = 17, cols = 48;
            int rows = sequences * period;
            float[] x = random(random, rows * cols, 1);
            float[] table = random(random, 20 * cols, 1);   // longer than the period: 17 of 20 positions used
            float[] expected = new float[x.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    expected[r * cols + c] = x[r * cols + c] + table[(r % period) * cols + c];
                }
            }
            try (Matrix a = backend.upload(x, rows, cols); Matrix t = backend.upload(table, 20, cols)) {
                backend.addRowsPeriodic(a, t, period);
                assertArrayEquals(expected, backend.download(a));
            }
        }

        @Test
        void gatherRowsCopiesTheIndexedRowsInOrderWithRepeats() {
            Random random = new Random(4);
            int sourceRows = 50, cols = 64;
            float[] source = random(random, sourceRows * cols, 1);
            int[] indices = {49, 0, 7, 7, 33, 1, 48};
            float[] expected = new float[indices.length * cols];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(source, indices[i] * cols, expected, i * cols, cols);
            }
            try (Matrix s = backend.upload(source, sourceRows, cols);
                 Matrix out = backend.allocate(indices.length, cols)) {
                backend.gatherRows(s, indices, out);
                assertArrayEquals(expected, backend.download(out));
            }
        }

        @Test
        void gatherOfNoRowsIsAllowed() {
            try (Matrix s = backend.upload(new float[] {1, 2}, 1, 2); Matrix out = backend.allocate(0, 2)) {
                backend.gatherRows(s, new int[0], out);
                assertEquals(0, backend.download(out).length);
            }
        }
    }

    @Nested
    class Attention {
        @ParameterizedTest(name = "batch {0}, seqLen {1}, heads {2}, headDim {3}")
        @CsvSource({"1, 1, 1, 1", "2, 7, 3, 5", "3, 17, 4, 12", "2, 50, 2, 33", "2, 300, 2, 64"})
        void withoutMasksMatchesReference(int batch, int seqLen, int heads, int headDim) {
            assertMatchesReference(new AttentionSpec(batch, seqLen, heads, headDim, (float) (1 / Math.sqrt(headDim)),
                    false, null), 1);
        }

        @ParameterizedTest(name = "batch {0}, seqLen {1}, heads {2}, headDim {3}")
        @CsvSource({"1, 1, 1, 1", "2, 9, 3, 5", "3, 19, 4, 12"})
        void causalMatchesReference(int batch, int seqLen, int heads, int headDim) {
            assertMatchesReference(new AttentionSpec(batch, seqLen, heads, headDim, 0.3f, true, null), 2);
        }

        @Test
        void causalWithKeyLengthsMatchesReferenceIncludingPaddingQueries() {
            assertMatchesReference(new AttentionSpec(3, 17, 4, 12, (float) (1 / Math.sqrt(12)), true,
                    new int[] {17, 9, 1}), 3);
            assertMatchesReference(new AttentionSpec(4, 13, 3, 7, 0.4f, true, new int[] {13, 1, 6, 9}), 4);
        }

        @Test
        void keyLengthsWithoutCausalMaskMatchReference() {
            assertMatchesReference(new AttentionSpec(3, 17, 4, 12, (float) (1 / Math.sqrt(12)), false,
                    new int[] {3, 17, 10}), 5);
            assertMatchesReference(new AttentionSpec(3, 11, 2, 9, 0.5f, false, new int[] {11, 3, 1}), 6);
        }

        @Test
        void maskedKeysGetExactlyZeroWeight() {
            // One visible key: softmax gives it weight exactly 1, so every output row is exactly v[0], however
            // large the masked values are.
            int seqLen = 5, width = 6;
            AttentionSpec spec = new AttentionSpec(1, seqLen, 2, 3, 0.5f, false, new int[] {1});
            Random random = new Random(5);
            float[] q = random(random, seqLen * width, 1);
            float[] k = random(random, seqLen * width, 1);
            float[] v = new float[seqLen * width];
            Arrays.fill(v, 1e30f);
            for (int c = 0; c < width; c++) {
                v[c] = c + 0.25f;
            }
            float[] out = run(spec, q, k, v);
            for (int row = 0; row < seqLen; row++) {
                for (int c = 0; c < width; c++) {
                    assertEquals(v[c], out[row * width + c], 0.0, "row " + row + ", column " + c);
                }
            }
        }

        @Test
        void sequenceWithNoVisibleKeyAveragesTheValuesLikePyTorch() {
            Random random = new Random(6);
            for (boolean causal : new boolean[] {false, true}) {
                AttentionSpec spec = new AttentionSpec(2, 6, 2, 3, 0.5f, causal, new int[] {0, 4});
                int count = 12 * 6;
                float[] q = random(random, count, 1);
                float[] k = random(random, count, 1);
                float[] v = random(random, count, 1);
                assertWithin(BackendReferences.attention(q, k, v, spec), run(spec, q, k, v), ATTENTION_TOLERANCE,
                        "attention, causal " + causal + ", key lengths [0, 4]");
            }
        }

        /** Random q, k, v with NaN in every padded key and value row: any leak of a masked key shows as NaN. */
        private void assertMatchesReference(AttentionSpec spec, long seed) {
            int width = spec.numHeads() * spec.headDim();
            int count = spec.batch() * spec.seqLen() * width;
            Random random = new Random(seed);
            float[] q = random(random, count, 1);
            float[] k = random(random, count, 1);
            float[] v = random(random, count, 1);
            for (int b = 0; b < spec.batch(); b++) {
                for (int j = spec.keyLength(b); j < spec.seqLen(); j++) {
                    int rowStart = (b * spec.seqLen() + j) * width;
                    Arrays.fill(k, rowStart, rowStart + width, Float.NaN);
                    Arrays.fill(v, rowStart, rowStart + width, Float.NaN);
                }
            }
            assertWithin(BackendReferences.attention(q, k, v, spec), run(spec, q, k, v), ATTENTION_TOLERANCE,
                    "attention " + spec.batch() + "×" + spec.seqLen() + ", " + spec.numHeads() + " heads of "
                            + spec.headDim() + ", causal " + spec.causal() + ", key lengths "
                            + Arrays.toString(spec.keyLengths()));
        }

        private float[] run(AttentionSpec spec, float[] q, float[] k, float[] v) {
            int rows = spec.batch() * spec.seqLen();
            int width = spec.numHeads() * spec.headDim();
            try (Matrix query = backend.upload(q, rows, width);
                 Matrix key = backend.upload(k, rows, width);
                 Matrix value = backend.upload(v, rows, width);
                 Matrix out = backend.allocate(rows, width)) {
                backend.attention(query, key, value, spec, out);
                return backend.download(out);
            }
        }
    }

    /** Every caller error is an {@link InputException}, on every backend. */
    @Nested
    class CallerErrors {
        @Test
        void uploadOfAValueCountThatDoesNotMatchTheShape() {
            assertThrows(InputException.class, () -> backend.upload(new float[5], 2, 3));
        }

        @Test
        void negativeDimensions() {
            assertThrows(InputException.class, () -> backend.allocate(-1, 4));
            assertThrows(InputException.class, () -> backend.allocate(4, -1));
            assertThrows(InputException.class, () -> backend.upload(new float[2], -1, -2));
        }

        @Test
        void linearInputOfTheWrongWidth() {
            LinearWeights prepared = backend.prepareLinear(f32("w", new float[6 * 4], 6, 4), null);
            try (Matrix x = backend.allocate(2, 5); Matrix y = backend.allocate(2, 6)) {
                assertThrows(InputException.class, () -> backend.linear(x, prepared, y));
            }
        }

        @Test
        void linearOutputOfTheWrongShape() {
            LinearWeights prepared = backend.prepareLinear(f32("w", new float[6 * 4], 6, 4), null);
            try (Matrix x = backend.allocate(2, 4); Matrix tooNarrow = backend.allocate(2, 5);
                 Matrix tooShort = backend.allocate(1, 6)) {
                assertThrows(InputException.class, () -> backend.linear(x, prepared, tooNarrow));
                assertThrows(InputException.class, () -> backend.linear(x, prepared, tooShort));
            }
        }

        @Test
        void layerNormGammaOrBetaNotARowOfTheInputsWidth() {
            try (Matrix x = backend.allocate(2, 8); Matrix row = backend.allocate(1, 8);
                 Matrix narrow = backend.allocate(1, 7); Matrix column = backend.allocate(8, 1);
                 Matrix out = backend.allocate(2, 8)) {
                assertThrows(InputException.class, () -> backend.layerNorm(x, narrow, row, 1e-5f, out));
                assertThrows(InputException.class, () -> backend.layerNorm(x, row, narrow, 1e-5f, out));
                assertThrows(InputException.class, () -> backend.layerNorm(x, column, row, 1e-5f, out));
            }
        }

        @Test
        void layerNormOutputOfTheWrongShape() {
            try (Matrix x = backend.allocate(2, 8); Matrix row = backend.allocate(1, 8);
                 Matrix out = backend.allocate(3, 8)) {
                assertThrows(InputException.class, () -> backend.layerNorm(x, row, row, 1e-5f, out));
            }
        }

        @Test
        void addOfAnotherShape() {
            try (Matrix x = backend.allocate(2, 4); Matrix y = backend.allocate(4, 2)) {
                assertThrows(InputException.class, () -> backend.add(x, y));
            }
        }

        @Test
        void periodicTableShorterThanThePeriodOrOfAnotherWidth() {
            try (Matrix x = backend.allocate(10, 4); Matrix shortTable = backend.allocate(4, 4);
                 Matrix narrowTable = backend.allocate(5, 3)) {
                assertThrows(InputException.class, () -> backend.addRowsPeriodic(x, shortTable, 5));
                assertThrows(InputException.class, () -> backend.addRowsPeriodic(x, narrowTable, 5));
            }
        }

        @Test
        void nonPositivePeriod() {
            try (Matrix x = backend.allocate(10, 4); Matrix table = backend.allocate(4, 4)) {
                assertThrows(InputException.class, () -> backend.addRowsPeriodic(x, table, 0));
                assertThrows(InputException.class, () -> backend.addRowsPeriodic(x, table, -1));
            }
        }

        @Test
        void gatherOfARowOutsideTheSourceNamesTheRow() {
            try (Matrix s = backend.allocate(10, 4); Matrix out = backend.allocate(2, 4)) {
                InputException beyond = assertThrows(InputException.class,
                        () -> backend.gatherRows(s, new int[] {3, 10}, out));
                assertTrue(beyond.getMessage().contains("row 10"), beyond.getMessage());
                assertThrows(InputException.class, () -> backend.gatherRows(s, new int[] {-1, 0}, out));
            }
        }

        @Test
        void gatherIntoAnOutputOfTheWrongShape() {
            try (Matrix s = backend.allocate(10, 4); Matrix out = backend.allocate(3, 4)) {
                assertThrows(InputException.class, () -> backend.gatherRows(s, new int[] {1, 2}, out));
            }
        }

        @Test
        void attentionMatricesOfTheWrongShape() {
            AttentionSpec spec = new AttentionSpec(2, 4, 2, 3, 1f, true, null);
            try (Matrix right = backend.allocate(8, 6); Matrix wrong = backend.allocate(8, 5)) {
                assertThrows(InputException.class, () -> backend.attention(wrong, right, right, spec, right));
                assertThrows(InputException.class, () -> backend.attention(right, wrong, right, spec, right));
                assertThrows(InputException.class, () -> backend.attention(right, right, wrong, spec, right));
                assertThrows(InputException.class, () -> backend.attention(right, right, right, spec, wrong));
            }
        }

        @Test
        void matrixOrWeightsOfAnotherBackend() {
            try (Backend other = openAnother(); Matrix foreign = other.upload(new float[] {1, 2}, 1, 2);
                 Matrix own = backend.upload(new float[] {1, 2}, 1, 2); Matrix out = backend.allocate(1, 2)) {
                LinearWeights foreignWeights = other.prepareLinear(f32("w", new float[4], 2, 2), null);
                assertThrows(InputException.class, () -> backend.add(own, foreign));
                assertThrows(InputException.class, () -> backend.download(foreign));
                assertThrows(InputException.class, () -> backend.linear(own, foreignWeights, out));
            }
        }

        @Test
        void closedMatrix() {
            Matrix matrix = backend.upload(new float[] {1, 2}, 1, 2);
            try (Matrix open = backend.upload(new float[] {1, 2}, 1, 2)) {
                matrix.close();
                matrix.close();   // idempotent
                InputException error = assertThrows(InputException.class, () -> backend.download(matrix));
                assertTrue(error.getMessage().contains("closed"), error.getMessage());
                assertThrows(InputException.class, () -> backend.add(open, matrix));
                assertThrows(InputException.class, () -> backend.activate(Activation.GELU, matrix));
            }
        }

        @Test
        void matrixBeyondTheBackendsLimitIsRefusedBeforeAllocating() {
            assertThrows(ResourceLimitException.class, () -> backend.allocate(Integer.MAX_VALUE, 2));
        }

        @Test
        void weightThatCannotBeALinearLayerIsAModelMismatchNamingIt() {
            ModelMismatchException vector = assertThrows(ModelMismatchException.class,
                    () -> backend.prepareLinear(f32("proj.weight", new float[4], 4), null));
            assertTrue(vector.getMessage().contains("proj.weight"), vector.getMessage());
            ModelMismatchException bias = assertThrows(ModelMismatchException.class, () -> backend.prepareLinear(
                    f32("proj.weight", new float[6 * 4], 6, 4), f32("proj.bias", new float[5], 5)));
            assertTrue(bias.getMessage().contains("proj.bias"), bias.getMessage());
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void closeIsIdempotent() {
            Backend other = openAnother();
            other.close();
            assertDoesNotThrow(other::close);
        }

        @Test
        void everyCallAfterCloseIsAnInputExceptionSayingClosed() {
            Backend other = openAnother();
            Matrix x = other.upload(new float[] {1, 2, 3, 4}, 2, 2);
            Matrix row = other.upload(new float[] {1, 1}, 1, 2);
            Matrix out = other.allocate(2, 2);
            LinearWeights weights = other.prepareLinear(f32("w", new float[] {1, 0, 0, 1}, 2, 2), null);
            AttentionSpec spec = new AttentionSpec(1, 2, 1, 2, 1f, false, null);
            other.close();
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("upload", () -> other.upload(new float[] {1}, 1, 1));
            calls.put("adopt", () -> other.adopt(new float[] {1}, 1, 1));
            calls.put("allocate", () -> other.allocate(1, 1));
            calls.put("download", () -> other.download(x));
            calls.put("prepareLinear", () -> other.prepareLinear(f32("w", new float[4], 2, 2), null));
            calls.put("linear", () -> other.linear(x, weights, out));
            calls.put("layerNorm", () -> other.layerNorm(x, row, row, 1e-5f, out));
            calls.put("activate", () -> other.activate(Activation.QUICK_GELU, x));
            calls.put("add", () -> other.add(x, out));
            calls.put("addRowsPeriodic", () -> other.addRowsPeriodic(x, row, 1));
            calls.put("gatherRows", () -> other.gatherRows(x, new int[] {1, 0}, out));
            calls.put("attention", () -> other.attention(x, x, x, spec, out));
            calls.forEach((name, call) -> {
                InputException error = assertThrows(InputException.class, call, name + " after close");
                assertTrue(error.getMessage().contains("closed"), name + ": " + error.getMessage());
            });
        }

        @Test
        void closingAMatrixAfterItsBackendIsHarmless() {
            Backend other = openAnother();
            Matrix matrix = other.allocate(2, 2);
            other.close();
            assertDoesNotThrow(matrix::close);
        }
    }

    // ---- helpers ----

    static boolean runningInCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    static float[] random(long seed, int count, float range) {
        return random(new Random(seed), count, range);
    }

    /** {@code count} values uniform in [-range, range). */
    static float[] random(Random random, int count, float range) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * range;
        }
        return values;
    }

    static void assertWithin(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + ": element " + i);
        }
    }

    /** A float32 tensor over a copy of {@code values}, as a checkpoint would hand it out. */
    static TensorView f32(String name, float[] values, long... shape) {
        return new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values.clone()));
    }

    /** A tensor of {@code dtype} holding {@code values}, which must be representable in it ({@link #widened}). */
    static TensorView tensor(String name, DType dtype, float[] values, long... shape) {
        if (dtype == DType.F32) {
            return f32(name, values, shape);
        }
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = dtype == DType.F16 ? Float.floatToFloat16(values[i])
                    : (short) (Float.floatToRawIntBits(values[i]) >>> 16);
        }
        return new TensorView(name, dtype, shape, MemorySegment.ofArray(bits));
    }

    /** {@code values} rounded to {@code dtype} and back: what a backend computes with after widening. */
    static float[] widened(DType dtype, float[] values) {
        float[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] = switch (dtype) {
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(values[i]));
                case BF16 -> Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000);
                default -> values[i];
            };
        }
        return result;
    }
}
