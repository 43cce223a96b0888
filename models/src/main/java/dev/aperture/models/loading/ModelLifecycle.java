package dev.aperture.models.loading;

import dev.aperture.core.InputException;
import dev.aperture.models.ProgressListener;

import java.util.List;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The close semantics every model shares: any number of batches run at once, each under a read lock; {@link #close}
 * marks the model closed at once, then waits for the running batches (the write lock) before releasing the weights
 * and the backend. A call made after close, or one in flight when it happens (at its next batch), fails with an
 * {@link InputException} saying the model is closed; none sees freed memory or returns partial results.
 */
public final class ModelLifecycle {
    private final String description;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Guarded by the write lock. */
    private boolean released;

    /** @param description names the model in messages, e.g. {@code CLIP model /models/clip} */
    public ModelLifecycle(String description) {
        this.description = description;
    }

    /**
     * Runs one batch unless the model is (being) closed.
     *
     * @param done  inputs of this call already processed, for the message when a close interrupts the call
     * @param total inputs of the whole call
     */
    public <T> T runBatch(int done, int total, Supplier<T> batch) {
        Lock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new InputException(description + " is closed" + (done > 0 ? " (it was closed while this"
                        + " call was running, after " + done + " of " + total + " inputs)" : ""));
            }
            return batch.get();
        } finally {
            read.unlock();
        }
    }

    /**
     * Encodes {@code inputs} in batches of {@code batchSize}, in order: {@code prepare} turns each batch into the
     * encoder call (tokenizing or decoding first, outside the lock), which then runs as {@link #runBatch}; progress
     * is reported after each batch.
     *
     * @return one row per input
     */
    public <T> float[][] runInBatches(List<T> inputs, int batchSize, ProgressListener progress,
                                      Function<List<T>, Supplier<float[][]>> prepare) {
        float[][] out = new float[inputs.size()][];
        for (int start = 0; start < inputs.size(); start += batchSize) {
            int end = Math.min(inputs.size(), start + batchSize);
            Supplier<float[][]> encode = prepare.apply(inputs.subList(start, end));
            float[][] rows = runBatch(start, inputs.size(), encode);
            System.arraycopy(rows, 0, out, start, rows.length);
            progress.progress(end, inputs.size());
        }
        return out;
    }

    /** Fails fast, before any work, when the model is closed. */
    public void checkOpen() {
        if (closed) {
            throw new InputException(description + " is closed");
        }
    }

    /**
     * Marks the model closed, waits for running batches, then runs {@code release}, once however many threads
     * close it; each returns only when the release has happened. Idempotent.
     */
    public void close(Runnable release) {
        closed = true;
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (!released) {
                released = true;
                release.run();
            }
        } finally {
            write.unlock();
        }
    }
}
