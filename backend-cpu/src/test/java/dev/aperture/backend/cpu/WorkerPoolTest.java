package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.ComputePool;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerPoolTest {

    @Test
    void visitsEveryIndexExactlyOnce() {
        try (WorkerPool pool = new WorkerPool(new ComputePool(3))) {
            for (int count : new int[]{0, 1, 2, 3, 7, 100, 1001}) {
                AtomicIntegerArray visits = new AtomicIntegerArray(count);
                pool.forRange(count, 1, (start, end) -> {
                    for (int i = start; i < end; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, visits.get(i), "index " + i + " of " + count);
                }
            }
        }
    }

    @Test
    void rethrowsWorkerFailureAfterAllSharesFinish() {
        IllegalStateException failure = new IllegalStateException("boom");
        AtomicIntegerArray finished = new AtomicIntegerArray(1);
        try (WorkerPool pool = new WorkerPool(new ComputePool(2))) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.forRange(2, 1,
                    (start, end) -> {
                        if (start == 1) {
                            throw failure;
                        }
                        finished.incrementAndGet(0);
                    }));
            assertSame(failure, thrown);
            assertEquals(1, finished.get(0));
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(new ComputePool(0)));
    }
}
