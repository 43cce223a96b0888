package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.ComputePool;

/**
 * Splits index ranges over the backend's {@link ComputePool} (the same threads the GEMM uses): the element-wise,
 * row-wise and attention kernels hand it a range, it cuts the range into contiguous chunks, one per thread.
 * Kernels never call back into the pool, so it cannot deadlock.
 */
final class WorkerPool implements AutoCloseable {
    /** Work on indices {@code [start, end)}. */
    interface RangeTask {
        void run(int start, int end);
    }

    private final ComputePool pool;

    WorkerPool(ComputePool pool) {
        this.pool = pool;
    }

    int threads() {
        return pool.threads();
    }

    /**
     * Runs {@code task} over {@code [0, count)} in up to {@code threads} contiguous chunks of at least
     * {@code minChunk} indices each, and returns when all are done (rethrowing the first failure).
     */
    void forRange(int count, int minChunk, RangeTask task) {
        if (count <= 0) {
            return;
        }
        int chunks = Math.max(1, Math.min(pool.threads(), count / Math.max(1, minChunk)));
        pool.run(chunks, chunk -> task.run(chunkStart(count, chunks, chunk), chunkStart(count, chunks, chunk + 1)));
    }

    private static int chunkStart(int count, int chunks, int chunk) {
        return (int) ((long) count * chunk / chunks);
    }

    @Override
    public void close() {
        pool.close();
    }
}
