package dev.aperture.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Dynamic batching for one model and one kind of input (texts or images): requests {@link #submit} their inputs, and
 * one worker thread collects the waiting requests into a batch of up to {@code maxBatch} inputs (waiting at most
 * {@code maxWait} after the first for more to arrive), embeds the batch in one call and hands each request its own
 * rows. The models' results do not depend on what else is in a batch, so a request gets exactly what it would get
 * alone.
 *
 * <p>One request's bad input never fails another's: when a batch of several requests fails, each is retried alone and
 * gets its own result or its own exception. The queue is bounded in inputs: past {@code maxQueuedInputs},
 * {@link #submit} refuses at once (503 with Retry-After) rather than holding unbounded memory. {@link #close()} takes
 * no more requests, finishes the queued ones, and returns once the worker has stopped.
 *
 * @param <I> the input type: {@code String} or {@code ImageInput}
 */
final class Batcher<I> implements AutoCloseable {
    private record Job<I>(List<I> inputs, CompletableFuture<float[][]> result) {
    }

    private final String modelName;
    private final String kind;
    private final Function<List<I>, float[][]> embed;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int maxQueuedInputs;
    private final ServerMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Job<I>> queue = new ArrayDeque<>();
    private int queuedInputs;
    private boolean closing;
    private final Thread worker;

    /**
     * @param kind  {@code text} or {@code image}, for metrics and messages
     * @param embed the model's embedding call for a whole batch
     */
    Batcher(String modelName, String kind, Function<List<I>, float[][]> embed, int maxBatch, Duration maxWait,
            int maxQueuedInputs, ServerMetrics metrics) {
        this.modelName = modelName;
        this.kind = kind;
        this.embed = embed;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.maxQueuedInputs = maxQueuedInputs;
        this.metrics = metrics;
        metrics.registerQueueDepth(modelName, kind, this::queuedInputs);
        // A platform thread: it runs the model's compute-bound forward passes, which must not pin a carrier.
        this.worker = Thread.ofPlatform().name("batcher-" + modelName + "-" + kind).daemon().start(this::runBatches);
    }

    /**
     * Queues one request's inputs; the future completes with their embeddings, in order, or with the model's
     * exception for them.
     *
     * @throws ApiException 503 (Retry-After) when the queue is full or the batcher is closing
     */
    CompletableFuture<float[][]> submit(List<I> inputs) {
        CompletableFuture<float[][]> result = new CompletableFuture<>();
        if (inputs.isEmpty()) {
            result.complete(new float[0][]);
            return result;
        }
        lock.lock();
        try {
            if (closing) {
                metrics.recordRejected(modelName, "shutting_down");
                throw new ApiException(ApiError.unavailable("shutting_down", "the server is shutting down"));
            }
            if (queuedInputs + inputs.size() > maxQueuedInputs) {
                metrics.recordRejected(modelName, "queue_full");
                throw new ApiException(ApiError.unavailable("queue_full", "model " + modelName + " has "
                        + queuedInputs + " " + kind + " inputs queued (the limit is " + maxQueuedInputs
                        + "); retry later"));
            }
            queue.add(new Job<>(List.copyOf(inputs), result));
            queuedInputs += inputs.size();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Inputs waiting for a batch (the queue-depth gauge). */
    int queuedInputs() {
        lock.lock();
        try {
            return queuedInputs;
        } finally {
            lock.unlock();
        }
    }

    private void runBatches() {
        for (List<Job<I>> batch = nextBatch(); batch != null; batch = nextBatch()) {
            run(batch);
        }
    }

    /**
     * Waits for a first job, then gathers more until the batch holds {@code maxBatch} inputs or {@code maxWait} has
     * passed; a job never splits, so one larger than {@code maxBatch} is a batch alone. Null once closed and drained.
     */
    private List<Job<I>> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing) {
                arrived.awaitUninterruptibly();
            }
            if (queue.isEmpty()) {
                return null;
            }
            List<Job<I>> batch = new ArrayList<>();
            int inputs = take(batch);
            long deadline = System.nanoTime() + maxWaitNanos;
            while (inputs < maxBatch) {
                if (queue.isEmpty()) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || closing) {
                        break;
                    }
                    arrived.awaitNanos(remaining);
                } else if (inputs + queue.peek().inputs().size() <= maxBatch) {
                    inputs += take(batch);
                } else {
                    break;
                }
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("batcher interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    private int take(List<Job<I>> batch) {
        Job<I> job = queue.poll();
        queuedInputs -= job.inputs().size();
        batch.add(job);
        return job.inputs().size();
    }

    private void run(List<Job<I>> batch) {
        List<I> inputs = new ArrayList<>();
        for (Job<I> job : batch) {
            inputs.addAll(job.inputs());
        }
        metrics.recordBatch(modelName, kind, inputs.size(), batch.size());
        float[][] embeddings;
        try {
            embeddings = embed.apply(inputs);
        } catch (RuntimeException | Error failure) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(failure);
            } else {
                // Someone's input is bad: run each request alone, so only its own request fails.
                batch.forEach(job -> run(List.of(job)));
            }
            return;
        }
        int offset = 0;
        for (Job<I> job : batch) {
            float[][] rows = new float[job.inputs().size()][];
            System.arraycopy(embeddings, offset, rows, 0, rows.length);
            offset += rows.length;
            job.result().complete(rows);
        }
    }

    /** Takes no more requests, runs what is queued, and waits for the worker to finish. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a submitted request's embeddings, rethrowing the model's exception as it was thrown. */
    static float[][] await(CompletableFuture<float[][]> pending) {
        try {
            return pending.get(1, TimeUnit.DAYS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiError.unavailable("interrupted", "interrupted while waiting for the batch"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a batch did not finish in a day", e);
        }
    }
}
