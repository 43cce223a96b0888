package dev.aperture.benchmarks.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a task on exactly {@code count} platform threads and waits for them: a parallel stream would run on the common
 * pool, whose size is the processors less one plus the caller, not the thread count asked for.
 */
final class Threads {
    private Threads() {
    }

    /** Runs {@code task(0)} .. {@code task(count - 1)} concurrently; rethrows the first failure after all end. */
    static void run(int count, IntConsumer task) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofPlatform().name("search-bench-" + i).start(() -> {
                try {
                    task.accept(index);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e instanceof RuntimeException r ? r : new RuntimeException(e));
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + thread.getName(), e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
