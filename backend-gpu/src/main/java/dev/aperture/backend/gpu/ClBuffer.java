package dev.aperture.backend.gpu;

import dev.aperture.core.InputException;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One device buffer ({@code cl_mem}). Released at most once; OpenCL defers the actual free until the commands
 * already queued on it have finished, so releasing right after an enqueue is safe.
 */
final class ClBuffer {
    private final ClApi api;
    private final AtomicReference<MemorySegment> handle;
    private final long bytes;

    ClBuffer(ClApi api, MemorySegment handle, long bytes) {
        this.api = api;
        this.handle = new AtomicReference<>(handle);
        this.bytes = bytes;
    }

    /** The {@code cl_mem}. */
    MemorySegment handle() {
        MemorySegment current = handle.get();
        if (current == null) {
            // Reached only by a call that raced with closing its matrix: the same fault as using a closed matrix.
            throw new InputException("OpenCL buffer of " + bytes + " bytes is closed (its matrix was closed)");
        }
        return current;
    }

    long bytes() {
        return bytes;
    }

    boolean isReleased() {
        return handle.get() == null;
    }

    /** Releases the buffer; later calls do nothing. */
    void release() {
        MemorySegment current = handle.getAndSet(null);
        if (current != null) {
            ClApi.check("clReleaseMemObject", api.releaseMemObject(current));
        }
    }
}
