package dev.aperture.backend.gpu;

import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ownership and lifetime of matrices and the backend, and concurrent use. */
class BackendLifecycleTest {

    @Test
    void isNamedOpencl() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend()) {
            assertEquals("opencl", backend.name());
        }
    }

    @Test
    void closedMatrixCannotBeUsed() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend()) {
            Matrix matrix = backend.upload(new float[] {1, 2}, 1, 2);
            matrix.close();
            matrix.close();   // idempotent
            assertThrows(IllegalStateException.class, () -> backend.download(matrix));
        }
    }

    @Test
    void matrixOfAnotherBackendIsRejected() {
        try (OpenClBackend first = OpenClTestSupport.openBackend(); OpenClBackend second = new OpenClBackend(
                Integer.toString(first.device().index()))) {
            Matrix foreign = second.upload(new float[] {1, 2}, 1, 2);
            Matrix own = first.upload(new float[] {1, 2}, 1, 2);
            assertThrows(IllegalArgumentException.class, () -> first.add(own, foreign));
        }
    }

    @Test
    void closedBackendRejectsCallsAndClosesOnce() {
        OpenClBackend backend = OpenClTestSupport.openBackend();
        Matrix leftOpen = backend.upload(new float[] {1}, 1, 1);
        backend.close();
        backend.close();
        assertThrows(IllegalStateException.class, () -> backend.allocate(1, 1));
        assertThrows(IllegalStateException.class, () -> backend.download(leftOpen));
    }

    @Test
    void uploadRejectsAValueCountThatDoesNotMatchTheShape() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend()) {
            assertThrows(IllegalArgumentException.class, () -> backend.upload(new float[5], 2, 3));
        }
    }

    @Test
    void emptyMatricesAreAllowed() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend();
             Matrix empty = backend.allocate(0, 8); Matrix other = backend.allocate(0, 8)) {
            backend.add(empty, other);
            assertEquals(0, backend.download(empty).length);
        }
    }

    @Test
    void concurrentLinearCallsOnDistinctMatricesAreCorrect() throws Exception {
        int rows = 9, in = 40, out = 24, threads = 4, rounds = 20;
        Random random = new Random(99);
        float[] weight = OpenClTestSupport.randomValues(random, out * in, 1);
        try (OpenClBackend backend = OpenClTestSupport.openBackend();
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            LinearWeights prepared = backend.prepareLinear(OpenClTestSupport.f32Tensor("w", weight, out, in), null);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float[] x = OpenClTestSupport.randomValues(new Random(t), rows * in, 1);
                double[] expected = References.linear(x, weight, null, rows, in, out);
                results.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        try (Matrix input = backend.upload(x, rows, in); Matrix output = backend.allocate(rows, out)) {
                            backend.linear(input, prepared, output);
                            float[] actual = backend.download(output);
                            for (int i = 0; i < actual.length; i++) {
                                if (Math.abs(actual[i] - expected[i]) > 1e-4) {
                                    return false;
                                }
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "a thread saw a wrong linear result");
            }
        }
    }

    @Test
    void downloadSeesEveryOperationQueuedBeforeIt() {
        try (OpenClBackend backend = OpenClTestSupport.openBackend();
             Matrix x = backend.upload(new float[] {1, 2, 3}, 1, 3);
             Matrix one = backend.upload(new float[] {1, 1, 1}, 1, 3)) {
            for (int i = 0; i < 100; i++) {
                backend.add(x, one);
            }
            assertArrayEquals(new float[] {101, 102, 103}, backend.download(x));
        }
    }
}
