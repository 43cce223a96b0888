package dev.aperture.models.bert;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ModelOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TextEmbedder loads, checks and closes the way every model does (ModelLifecycle, InputLimits): inputs are checked
 * before any work with typed errors, and close waits for running batches, then fails every later call cleanly.
 */
class TextEmbedderLifecycleTest {

    private static TextEmbedder load(InputLimits limits) {
        return TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(),
                ModelOptions.defaults().withThreads(2).withBatchSize(4).withLimits(limits));
    }

    @Test
    void aNullTextIsAnInputExceptionNamingItsIndex() {
        try (TextEmbedder embedder = load(InputLimits.defaults())) {
            InputException e = assertThrows(InputException.class, () -> embedder.embed(Arrays.asList("a", null)));
            assertTrue(e.getMessage().contains("text 1"), e.getMessage());
            assertThrows(InputException.class, () -> embedder.embed((List<String>) null));
        }
    }

    @Test
    void textsBeyondTheLimitsAreRefusedBeforeAnyWork() {
        try (TextEmbedder embedder = load(InputLimits.defaults().withMaxTextChars(10).withMaxInputsPerCall(3))) {
            ResourceLimitException tooLong = assertThrows(ResourceLimitException.class,
                    () -> embedder.embed(List.of("short", "far longer than ten")));
            assertTrue(tooLong.getMessage().contains("maxTextChars"), tooLong.getMessage());
            ResourceLimitException tooMany = assertThrows(ResourceLimitException.class,
                    () -> embedder.embed(List.of("a", "b", "c", "d")));
            assertTrue(tooMany.getMessage().contains("maxInputsPerCall"), tooMany.getMessage());
        }
    }

    @Test
    void callsAfterCloseFailSayingTheModelIsClosedAndCloseIsIdempotent() {
        TextEmbedder embedder = load(InputLimits.defaults());
        embedder.close();
        InputException e = assertThrows(InputException.class, () -> embedder.embed(List.of("hello")));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertDoesNotThrow(embedder::close);
    }

    @Test
    void closingWhileCallsRunLetsEachFinishOrFailCleanly() throws Exception {
        TextEmbedder embedder = load(InputLimits.defaults());
        List<String> texts = Collections.nCopies(64, "A man is playing a guitar on the stage tonight.");
        float[] expected = embedder.embed("A man is playing a guitar on the stage tonight.");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> embedder.embed(texts)));
            }
            Thread.sleep(50);
            embedder.close();
            int finished = 0;
            for (Future<float[][]> call : calls) {
                try {
                    for (float[] row : call.get()) {
                        assertArrayEquals(expected, row, 0f, "a finished call's results are whole and right");
                    }
                    finished++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof InputException && e.getCause().getMessage().contains("closed"),
                            "a call cut short fails saying the model is closed: " + e.getCause());
                }
            }
            assertTrue(finished <= calls.size());
            assertEquals(4, calls.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
