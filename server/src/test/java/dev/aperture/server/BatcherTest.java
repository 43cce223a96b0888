package dev.aperture.server;

import dev.aperture.core.InputException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batcher alone, on an embedding function that records its batches and refuses the input "bad". */
class BatcherTest {
    private final List<List<String>> batches = new ArrayList<>();
    private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);

    /** Embeds each text as {length}; the first batch waits for the test to release it, so others queue behind it. */
    private float[][] embed(List<String> texts) {
        synchronized (batches) {
            batches.add(List.copyOf(texts));
        }
        if (firstBatchStarted.getCount() > 0) {
            firstBatchStarted.countDown();
            await(releaseFirstBatch);
        }
        if (texts.contains("bad")) {
            throw new InputException("text 'bad' is refused");
        }
        return texts.stream().map(text -> new float[] {text.length()}).toArray(float[][]::new);
    }

    private Batcher<String> batcher(int maxQueuedInputs) {
        Function<List<String>, float[][]> function = this::embed;
        return new Batcher<>("test", "text", function, 8, Duration.ofMillis(50), maxQueuedInputs, new ServerMetrics());
    }

    @Test
    void concurrentRequestsShareABatchAndEachGetsItsOwnRows() {
        try (Batcher<String> batcher = batcher(100)) {
            CompletableFuture<float[][]> blocker = batcher.submit(List.of("first"));
            await(firstBatchStarted);
            CompletableFuture<float[][]> a = batcher.submit(List.of("a", "bb"));
            CompletableFuture<float[][]> b = batcher.submit(List.of("ccc"));
            releaseFirstBatch.countDown();
            assertEquals(5f, Batcher.await(blocker)[0][0]);
            float[][] rowsA = Batcher.await(a);
            assertEquals(2, rowsA.length);
            assertEquals(1f, rowsA[0][0]);
            assertEquals(2f, rowsA[1][0]);
            assertEquals(3f, Batcher.await(b)[0][0]);
            assertEquals(List.of("a", "bb", "ccc"), batches.get(1), "the two queued requests ran as one batch");
        }
    }

    @Test
    void oneRequestsBadInputFailsOnlyThatRequest() {
        try (Batcher<String> batcher = batcher(100)) {
            CompletableFuture<float[][]> blocker = batcher.submit(List.of("first"));
            await(firstBatchStarted);
            CompletableFuture<float[][]> good = batcher.submit(List.of("good"));
            CompletableFuture<float[][]> bad = batcher.submit(List.of("ok", "bad"));
            CompletableFuture<float[][]> alsoGood = batcher.submit(List.of("fine"));
            releaseFirstBatch.countDown();
            Batcher.await(blocker);
            assertEquals(4f, Batcher.await(good)[0][0]);
            assertEquals(4f, Batcher.await(alsoGood)[0][0]);
            InputException failure = assertThrows(InputException.class, () -> Batcher.await(bad));
            assertTrue(failure.getMessage().contains("bad"));
        }
    }

    @Test
    void aFullQueueRefusesWith503AndRetryAfter() {
        try (Batcher<String> batcher = batcher(3)) {
            CompletableFuture<float[][]> blocker = batcher.submit(List.of("first"));
            await(firstBatchStarted);
            CompletableFuture<float[][]> queued = batcher.submit(List.of("a", "b", "c"));
            ApiException refused = assertThrows(ApiException.class, () -> batcher.submit(List.of("d")));
            assertEquals(503, refused.error().status());
            assertEquals("queue_full", refused.error().code());
            assertTrue(refused.error().retryAfterSeconds() > 0);
            releaseFirstBatch.countDown();
            Batcher.await(blocker);
            assertEquals(3, Batcher.await(queued).length);
        }
    }

    @Test
    void closeFinishesWhatIsQueuedThenRefusesMore() throws Exception {
        Batcher<String> batcher = batcher(100);
        CompletableFuture<float[][]> blocker = batcher.submit(List.of("first"));
        await(firstBatchStarted);
        CompletableFuture<float[][]> queued = batcher.submit(List.of("queued"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
        releaseFirstBatch.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertTrue(blocker.isDone() && queued.isDone());
        assertEquals(6f, Batcher.await(queued)[0][0]);
        ApiException refused = assertThrows(ApiException.class, () -> batcher.submit(List.of("late")));
        assertEquals(503, refused.error().status());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
