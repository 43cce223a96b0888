package dev.aperture.backend.cpu.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of worker threads that run one data-parallel job at a time: {@code job.run(part)} for
 * {@code part = 0 .. parts-1}, the calling thread doing part 0 itself.
 *
 * <p>Threads are created once and reused, and a job submission allocates nothing: kernels call this thousands
 * of times per second, so no executor futures, no latches. Waiting workers spin briefly (a GEMM call follows
 * another within microseconds in a model's forward pass) and then park, so an idle pool costs no CPU.
 * Concurrent callers are serialized. A job must not submit to its own pool (it would wait on itself).
 */
public final class ComputePool implements AutoCloseable {
    /** One part of a data-parallel job. */
    @FunctionalInterface
    public interface Job {
        /** Runs part {@code part} of the job; parts run concurrently on different threads. */
        void run(int part);
    }

    private static final int SPIN_ITERATIONS = 20_000;

    private static final class Holder {
        static final ComputePool SHARED = new ComputePool(Runtime.getRuntime().availableProcessors());
    }

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread waitingCaller;
    private volatile Job currentJob;
    private volatile boolean closed;

    /** A pool with {@code threads} threads in all, counting the caller (so {@code threads - 1} workers). */
    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("ComputePool threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    /** The process-wide pool sized to the available processors, created on first use. */
    public static ComputePool shared() {
        return Holder.SHARED;
    }

    /** Threads that run a job's parts, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code job.run(p)} for every {@code p < parts} and returns when all have finished.
     * {@code parts} must be between 1 and {@link #threads()}. An exception in any part is rethrown here.
     */
    public void run(int parts, Job job) {
        if (parts < 1 || parts > threads) {
            throw new IllegalArgumentException("parts must be in [1, " + threads + "], got " + parts);
        }
        if (parts == 1) {
            job.run(0);
            return;
        }
        submitLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("ComputePool is closed");
            }
            currentJob = job;
            waitingCaller = Thread.currentThread();
            remaining.set(parts - 1);
            for (int p = 1; p < parts; p++) {
                workers[p - 1].start(job);
            }
            Throwable callerFailure = null;
            try {
                job.run(0);
            } catch (Throwable t) {
                callerFailure = t;
            }
            awaitWorkers();
            Throwable failure = callerFailure;
            for (int p = 1; p < parts; p++) {
                Throwable workerFailure = workers[p - 1].takeFailure();
                if (failure == null) {
                    failure = workerFailure;
                }
            }
            currentJob = null;
            rethrow(failure);
        } finally {
            submitLock.unlock();
        }
    }

    private void awaitWorkers() {
        int spins = 0;
        while (remaining.get() > 0) {
            if (spins++ < SPIN_ITERATIONS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void partFinished() {
        if (remaining.decrementAndGet() == 0) {
            LockSupport.unpark(waitingCaller);
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops the worker threads; the shared pool is never closed (its threads are daemons). */
    @Override
    public void close() {
        if (this == Holder.SHARED) {
            return;
        }
        submitLock.lock();
        try {
            closed = true;
            for (Worker worker : workers) {
                worker.thread.interrupt();
            }
        } finally {
            submitLock.unlock();
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final int part;
        private volatile Job job;
        private Throwable failure;

        Worker(int part) {
            this.part = part;
            this.thread = new Thread(this, "aperture-compute-" + part);
            this.thread.setDaemon(true);
        }

        void start(Job next) {
            job = next;
            LockSupport.unpark(thread);
        }

        Throwable takeFailure() {
            Throwable f = failure;
            failure = null;
            return f;
        }

        @Override
        public void run() {
            int spins = 0;
            while (!closed) {
                Job next = job;
                if (next == null) {
                    if (spins++ < SPIN_ITERATIONS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                        if (Thread.interrupted() && closed) {
                            return;
                        }
                    }
                    continue;
                }
                spins = 0;
                try {
                    next.run(part);
                } catch (Throwable t) {
                    failure = t;
                }
                job = null;
                partFinished();
            }
        }
    }
}
