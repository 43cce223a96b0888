package dev.aperture.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    @Test
    void runsEveryPartExactlyOnceOnDistinctThreads() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int round = 0; round < 1000; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(3);
                AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(3);
                pool.run(3, part -> {
                    runs.incrementAndGet(part);
                    threads.set(part, Thread.currentThread());
                });
                for (int part = 0; part < 3; part++) {
                    assertEquals(1, runs.get(part), "part " + part + " in round " + round);
                }
                assertEquals(Thread.currentThread(), threads.get(0));
                assertNotEquals(threads.get(1), threads.get(2));
            }
        }
    }

    @Test
    void rethrowsAFailureOfAWorkerPart() {
        try (ComputePool pool = new ComputePool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(2, part -> {
                if (part == 1) {
                    throw new IllegalStateException("part one failed");
                }
            }));
            assertEquals("part one failed", e.getMessage());
            int[] ran = new int[1];
            pool.run(1, part -> ran[0]++);
            assertEquals(1, ran[0], "the pool keeps working after a failed job");
        }
    }

    @Test
    void rejectsMorePartsThanThreads() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThrows(IllegalArgumentException.class, () -> pool.run(3, part -> { }));
        }
    }
}
