package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowKernelsTest {

    @Test
    void addsElementWise() {
        float[] x = TestArrays.random(31, 19 * 23, 1);
        float[] y = TestArrays.random(32, 19 * 23, 1);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = x[i] + y[i];
        }
        try (CpuBackend backend = new CpuBackend(2)) {
            Matrix matrix = backend.upload(x, 19, 23);
            backend.add(matrix, backend.upload(y, 19, 23));
            assertArrayEquals(expected, backend.download(matrix));
        }
    }

    @Test
    void addsTableRowsPeriodically() {
        int period = 5;
        int cols = 21;
        float[] x = TestArrays.random(33, 3 * period * cols, 1);
        float[] table = TestArrays.random(34, 7 * cols, 1); // the table may be longer than the period
        float[] expected = x.clone();
        for (int r = 0; r < 3 * period; r++) {
            for (int c = 0; c < cols; c++) {
                expected[r * cols + c] += table[(r % period) * cols + c];
            }
        }
        try (CpuBackend backend = new CpuBackend(2)) {
            Matrix matrix = backend.upload(x, 3 * period, cols);
            backend.addRowsPeriodic(matrix, backend.upload(table, 7, cols), period);
            assertArrayEquals(expected, backend.download(matrix));
        }
    }

    @Test
    void gathersRowsInGivenOrderWithRepeats() {
        float[] source = TestArrays.random(35, 6 * 3, 1);
        int[] rows = {5, 0, 5, 2};
        float[] expected = new float[rows.length * 3];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(source, rows[i] * 3, expected, i * 3, 3);
        }
        try (CpuBackend backend = new CpuBackend(1)) {
            Matrix out = backend.allocate(rows.length, 3);
            backend.gatherRows(backend.upload(source, 6, 3), rows, out);
            assertArrayEquals(expected, backend.download(out));
        }
    }

    @Test
    void rejectsGatherOfRowOutsideSource() {
        try (CpuBackend backend = new CpuBackend(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> backend.gatherRows(backend.allocate(4, 2), new int[]{4}, backend.allocate(1, 2)));
        }
    }
}
