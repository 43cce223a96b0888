package dev.aperture.backend.cpu;

import dev.aperture.core.backend.Matrix;

/**
 * A {@link Matrix} in a plain {@code float[]} on the Java heap, row-major: element (r, c) is {@code data[r·cols + c]}.
 * Closing drops nothing eagerly (the garbage collector reclaims the array) but marks it closed, so that using it
 * afterwards fails as it does on every backend.
 */
final class HostMatrix implements Matrix {
    private final CpuBackend owner;
    private final int rows;
    private final int cols;
    private final float[] data;
    private volatile boolean closed;

    /** {@code rows, cols ≥ 0} and {@code data.length == rows·cols}, checked by the backend. */
    HostMatrix(CpuBackend owner, int rows, int cols, float[] data) {
        this.owner = owner;
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

    CpuBackend owner() {
        return owner;
    }

    boolean isClosed() {
        return closed;
    }

    /** The backing array itself (not a copy): kernels read and write it in place. */
    float[] data() {
        return data;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "HostMatrix[" + rows + " x " + cols + (closed ? ", closed]" : "]");
    }
}
