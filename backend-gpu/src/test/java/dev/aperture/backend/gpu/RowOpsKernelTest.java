package dev.aperture.backend.gpu;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Residual add, periodic row add (position embeddings) and row gather; exact in float32, so compared exactly. */
class RowOpsKernelTest {
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

    @Test
    void uploadThenDownloadReturnsTheSameValues() {
        float[] values = OpenClTestSupport.randomValues(new Random(1), 33 * 7, 100);
        try (Matrix matrix = backend.upload(values, 33, 7)) {
            assertArrayEquals(values, backend.download(matrix));
        }
    }

    @Test
    void addIsElementWise() {
        Random random = new Random(2);
        int rows = 65, cols = 100;
        float[] x = OpenClTestSupport.randomValues(random, rows * cols, 1);
        float[] y = OpenClTestSupport.randomValues(random, rows * cols, 1);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = x[i] + y[i];
        }
        try (Matrix a = backend.upload(x, rows, cols); Matrix b = backend.upload(y, rows, cols)) {
            backend.add(a, b);
            assertArrayEquals(expected, backend.download(a));
            assertArrayEquals(y, backend.download(b), "the operand is unchanged");
        }
    }

    @Test
    void addRowsPeriodicAddsTableRowModuloPeriod() {
        Random random = new Random(3);
        int sequences = 3, period = 17, cols = 48;
        int rows = sequences * period;
        float[] x = OpenClTestSupport.randomValues(random, rows * cols, 1);
        // The table is longer than the period (a position table of 20 with 17 positions used).
        float[] table = OpenClTestSupport.randomValues(random, 20 * cols, 1);
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
    void addRowsPeriodicRejectsATableShorterThanThePeriod() {
        try (Matrix a = backend.allocate(10, 4); Matrix t = backend.allocate(4, 4)) {
            assertThrows(IllegalArgumentException.class, () -> backend.addRowsPeriodic(a, t, 5));
        }
    }

    @Test
    void gatherRowsCopiesTheIndexedRowsInOrder() {
        Random random = new Random(4);
        int sourceRows = 50, cols = 64;
        float[] source = OpenClTestSupport.randomValues(random, sourceRows * cols, 1);
        int[] indices = {49, 0, 7, 7, 33, 1, 48};
        float[] expected = new float[indices.length * cols];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(source, indices[i] * cols, expected, i * cols, cols);
        }
        try (Matrix s = backend.upload(source, sourceRows, cols); Matrix out = backend.allocate(indices.length, cols)) {
            backend.gatherRows(s, indices, out);
            assertArrayEquals(expected, backend.download(out));
        }
    }

    @Test
    void gatherRowsRejectsAnIndexOutsideTheSource() {
        try (Matrix s = backend.allocate(10, 4); Matrix out = backend.allocate(2, 4)) {
            var error = assertThrows(InputException.class, () -> backend.gatherRows(s, new int[] {3, 10}, out));
            assertTrue(error.getMessage().contains("row 10"), error.getMessage());
        }
    }
}
