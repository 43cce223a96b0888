package dev.aperture.backend.cpu;

import dev.aperture.core.BackendException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of daemon threads that splits index ranges among themselves and the calling thread.
 * The caller always runs one share itself, so {@code threads == 1} means no pool at all, and several callers
 * may use one pool at once (their shares simply queue). Kernels never call back into the pool, so it cannot deadlock.
 */
final class WorkerPool implements AutoCloseable {
    /** Work on indices {@code [start, end)}. */
    interface RangeTask {
        void run(int start, int end);
    }

    private final int threads;
    private final ExecutorService executor;

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        AtomicInteger counter = new AtomicInteger();
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "aperture-cpu-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, count)} in up to {@code threads} contiguous chunks of at least
     * {@code minChunk} indices each, and returns when all are done.
     */
    void forRange(int count, int minChunk, RangeTask task) {
        int chunks = Math.max(1, Math.min(threads, count / Math.max(1, minChunk)));
        if (chunks == 1 || executor == null) {
            if (count > 0) {
                task.run(0, count);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int chunk = 1; chunk < chunks; chunk++) {
            int start = chunkStart(count, chunks, chunk);
            int end = chunkStart(count, chunks, chunk + 1);
            futures.add(executor.submit(() -> task.run(start, end)));
        }
        try {
            task.run(0, chunkStart(count, chunks, 1));
        } finally {
            awaitAll(futures); // even when the caller's share failed: no worker may still write after we return
        }
    }

    /** Waits for every share, then rethrows the first failure, if any. */
    private static void awaitAll(List<Future<?>> futures) {
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the workers are still writing into our matrices
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException runtime ? runtime
                                : new BackendException("CPU worker failed: " + e.getCause(), e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static int chunkStart(int count, int chunks, int chunk) {
        return (int) ((long) count * chunk / chunks);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
