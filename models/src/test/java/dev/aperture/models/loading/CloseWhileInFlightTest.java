package dev.aperture.models.loading;

import dev.aperture.core.ApertureException;
import dev.aperture.core.InputException;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a model while calls are in flight: every call either completes with the right result or fails with an
 * {@link InputException} saying the model is closed (never another exception, a crash or a hang), later calls
 * fail the same way, and the weights are released even though callers still hold the model object.
 */
class CloseWhileInFlightTest {
    private static final int CALLERS = 8;
    private static final int TEXTS_PER_CALL = 48;

    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < TEXTS_PER_CALL; i++) {
            texts.add("a photo of thing number " + i);
        }
        return texts;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void inFlightCallsFailCleanlyAndLaterCallsAreRefused() throws InterruptedException {
        ClipModel model = ClipModel.load(TestData.clipTiny(), ModelOptions.defaults().withThreads(2).withBatchSize(4));
        float[][] expected = model.embedTexts(texts());
        CountDownLatch someSucceeded = new CountDownLatch(CALLERS);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
            callers.add(Thread.ofPlatform().start(() -> {
                while (true) {
                    try {
                        float[][] result = model.embedTexts(texts());
                        assertArrayEquals(expected, result);
                        completed.incrementAndGet();
                        someSucceeded.countDown();
                    } catch (InputException e) {
                        if (e.getMessage().contains("is closed")) {
                            refused.incrementAndGet();
                        } else {
                            unexpected.add(e);
                        }
                        someSucceeded.countDown();
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        someSucceeded.countDown();
                        return;
                    }
                }
            }));
        }
        assertTrue(someSucceeded.await(30, TimeUnit.SECONDS), "callers made no progress");
        model.close();
        for (Thread caller : callers) {
            caller.join();
        }
        assertTrue(unexpected.isEmpty(), "unexpected failures: " + unexpected);
        assertEquals(CALLERS, refused.get(), "every caller ends on the closed model");
        assertTrue(completed.get() >= 1, "calls completed before close");
        ApertureException late = assertThrows(InputException.class, () -> model.embedText("late"));
        assertTrue(late.getMessage().contains("is closed"), late.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeReleasesTheWeightsWhileTheModelObjectIsStillReferenced() throws java.io.IOException {
        // The tokenizer (about 10 MB of vocabulary and merges) stays reachable through tokenizer(); the float32
        // weights (the size of model.safetensors) must go.
        long weightBytes = java.nio.file.Files.size(TestData.clipTiny().resolve("model.safetensors"));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(memory);
        ClipModel model = ClipModel.load(TestData.clipTiny(), ModelOptions.defaults().withThreads(2));
        model.embedText("warm up");
        long loaded = usedHeapAfterGc(memory);
        model.close();
        long closed = usedHeapAfterGc(memory);
        System.out.printf("heap: before %d, loaded %d (+%d), closed %d (released %d; weights %d)%n", before,
                loaded, loaded - before, closed, loaded - closed, weightBytes);
        assertTrue(loaded - closed > weightBytes * 9 / 10, "closing released " + (loaded - closed)
                + " bytes; the weights alone are " + weightBytes);
        assertEquals("is closed", assertThrows(InputException.class, () -> model.embedText("x")).getMessage()
                .replaceAll(".* (is closed).*", "$1"));
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
