package dev.aperture.models.loading;

import dev.aperture.models.ImageInput;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One loaded model shared by 16 threads for 10,000 mixed calls (texts, images, zero-shot classification) gives
 * results bit-identical to the same calls made one after another, without deadlocking the CPU backend's pool
 * (which has fewer workers than there are callers).
 */
@Tag("slow")
class ConcurrentCallsTest {
    private static final int CALLERS = 16;
    private static final int CALLS = 10_000;
    private static final List<String> TEXTS = List.of("a photo of a cat", "a diagram", "", "🐱🚀 café",
            "A  LONG text " + "with many words ".repeat(12), "<|endoftext|> inside", "x", "two dogs on a sofa");
    private static final List<String> LABELS = List.of("cat", "dog", "car", "tree", "a red square");

    private static ClipModel model;
    private static List<ImageInput> images;

    @BeforeAll
    static void load() throws IOException {
        model = ClipModel.load(TestData.clipTiny(), ModelOptions.defaults().withThreads(2));
        images = new ArrayList<>();
        try (var files = Files.list(TestData.clipTiny().resolve("images"))) {
            for (Path file : files.sorted().toList()) {
                images.add(ImageInput.of(Files.readAllBytes(file), file.getFileName().toString()));
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** What call {@code i} computes; kinds rotate through text, image, classification. */
    private static Object call(int i, ZeroShotClassifier classifier) {
        return switch (i % 3) {
            case 0 -> model.embedText(TEXTS.get(i / 3 % TEXTS.size()));
            case 1 -> model.embedImage(images.get(i / 3 % images.size()));
            default -> classifier.classify(images.get(i / 3 % images.size()), LABELS);
        };
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sixteenThreadsGiveResultsBitIdenticalToSerialCalls() throws Exception {
        ZeroShotClassifier serialClassifier = new ZeroShotClassifier(model);
        int distinct = 3 * Math.max(TEXTS.size(), images.size()) * 2;
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            expected.add(call(i, serialClassifier));
        }
        // The concurrent run starts with a cold label cache, so label embedding races too.
        ZeroShotClassifier sharedClassifier = new ZeroShotClassifier(model);
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < CALLERS; t++) {
                done.add(callers.submit(() -> {
                    int count = 0;
                    for (int i = next.getAndIncrement(); i < CALLS; i = next.getAndIncrement()) {
                        assertSame(expected.get(i % distinct), call(i % distinct, sharedClassifier), i);
                        count++;
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> future : done) {
                total += future.get();
            }
            assertEquals(CALLS, total);
        } finally {
            callers.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSame(Object expected, Object actual, int call) {
        if (expected instanceof float[] vector) {
            assertArrayEquals(vector, (float[]) actual, "call " + call);  // compares bits (floatToIntBits)
        } else {
            List<Label> ranked = (List<Label>) actual;
            assertEquals(expected, ranked, "call " + call);  // record equality compares doubles bit for bit
        }
    }
}
