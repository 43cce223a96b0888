package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Matrix;

/**
 * A {@link Matrix} in a plain {@code float[]} on the Java heap, row-major: element (r, c) is {@code data[r·cols + c]}.
 * Closing only drops the reference; the garbage collector reclaims the array.
 */
final class HostMatrix implements Matrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    HostMatrix(int rows, int cols, float[] data) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("Matrix dimensions must be positive: " + rows + " x " + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(data.length + " values for a " + rows + " x " + cols + " matrix");
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** The backing array itself (not a copy): kernels read and write it in place. */
    float[] data() {
        return data;
    }

    @Override
    public void close() {
        // Heap memory: nothing to release eagerly.
    }

    @Override
    public String toString() {
        return "HostMatrix[" + rows + " x " + cols + "]";
    }
}
