package dev.aperture.backend.gpu;

import dev.aperture.core.backend.Matrix;

/** A row-major float32 matrix in a device buffer of the {@link OpenClBackend} that made it. */
final class ClMatrix implements Matrix {
    final OpenClBackend owner;
    final ClBuffer buffer;
    private final int rows;
    private final int cols;

    ClMatrix(OpenClBackend owner, ClBuffer buffer, int rows, int cols) {
        this.owner = owner;
        this.buffer = buffer;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    int elementCount() {
        return rows * cols;
    }

    /** Releases the device buffer now (the backend would on close). */
    @Override
    public void close() {
        owner.release(buffer);
    }

    @Override
    public String toString() {
        return "OpenCL matrix " + rows + "×" + cols + (buffer.isReleased() ? " (closed)" : "");
    }
}
