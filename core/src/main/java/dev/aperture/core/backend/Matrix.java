package dev.aperture.core.backend;

/**
 * A row-major float32 matrix held by a {@link Backend} (host memory for the CPU, a device buffer for a GPU).
 * Only the backend that made it may use it. Closing releases its memory early; otherwise the backend does on close.
 * Closing is idempotent; using a closed matrix is an {@link dev.aperture.core.InputException}.
 */
public interface Matrix extends AutoCloseable {
    int rows();

    int cols();

    @Override
    void close();
}
