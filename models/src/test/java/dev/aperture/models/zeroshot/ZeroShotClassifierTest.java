package dev.aperture.models.zeroshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.InputException;
import dev.aperture.models.TestData;
import dev.aperture.models.ImageInput;
import dev.aperture.models.Npy;
import dev.aperture.models.clip.ClipModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zero-shot classification on the tiny CLIP fixture, checked against the reference's logits and by hand. */
class ZeroShotClassifierTest {
    private static final double LOGIT_TOLERANCE = 1e-3;
    private static final Path TINY = TestData.clipTiny();

    private static ClipModel model;
    private static List<String> labels;
    private static List<Integer> labelIndices;

    @BeforeAll
    static void load() throws IOException {
        model = ClipModel.load(TINY);
        // The fixture's texts as labels, except the one whose slow-tokenizer ids (used by the goldens) differ from
        // the fast tokenizer's.
        JsonNode golden = new ObjectMapper().readTree(TINY.resolve("golden/golden.json").toFile());
        labels = new ArrayList<>();
        labelIndices = new ArrayList<>();
        for (JsonNode text : golden.get("texts")) {
            if (text.get("fast_equals_slow").asBoolean()) {
                labels.add(text.get("text").asText());
                labelIndices.add(text.get("index").asInt());
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void logitsAndScoresMatchReferenceWithVerbatimLabels() {
        ZeroShotClassifier classifier = new ZeroShotClassifier(model, List.of("{}"));
        Npy referenceLogits = Npy.read(TINY.resolve("golden/logits_per_image.npy"));
        for (int image = 0; image < 5; image++) {  // the PNG images; decoding is exact for them
            String file = List.of("gradient_64x64_rgb.png", "shapes_80x60_rgb.png", "noise_64x40_rgb.png",
                    "radial_40x56_gray.png", "alpha_48x48_rgba.png").get(image);
            List<Label> ranked = classifier.classify(ImageInput.of(TINY.resolve("images/" + file)), labels);
            double[] expectedLogits = new double[labels.size()];
            for (int l = 0; l < labels.size(); l++) {
                expectedLogits[l] = referenceLogits.get(image, labelIndices.get(l));
            }
            double[] expectedScores = softmax(expectedLogits);
            for (Label label : ranked) {
                int l = labels.indexOf(label.label());
                assertEquals(expectedLogits[l], label.logit(), LOGIT_TOLERANCE, file + " / " + label.label());
                assertEquals(expectedScores[l], label.score(), 1e-4, file + " / " + label.label());
            }
        }
    }

    @Test
    void labelsAreRankedByScoreAndScoresSumToOne() {
        List<Label> ranked = new ZeroShotClassifier(model).classify(
                ImageInput.of(TINY.resolve("images/shapes_80x60_rgb.png")), List.of("cat", "dog", "car", "tree"));
        assertEquals(4, ranked.size());
        double sum = 0;
        for (int i = 0; i < ranked.size(); i++) {
            sum += ranked.get(i).score();
            if (i > 0) {
                assertTrue(ranked.get(i - 1).score() >= ranked.get(i).score(), "sorted by score");
            }
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void ensembleAveragesNormalizedPromptEmbeddingsThenRenormalizes() {
        List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.", "art of the {}.");
        ZeroShotClassifier classifier = new ZeroShotClassifier(model, templates);
        float[] actual = classifier.labelEmbeddings(List.of("cat"))[0];

        // By hand: embed each prompt (normalized), sum, divide, renormalize.
        float[][] prompts = model.embedTexts(List.of("a photo of a cat.", "a drawing of a cat.", "art of the cat."));
        double[] mean = new double[prompts[0].length];
        for (float[] prompt : prompts) {
            double norm = 0;
            for (float v : prompt) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5, "prompt embeddings are normalized");
            for (int i = 0; i < mean.length; i++) {
                mean[i] += prompt[i] / 3.0;
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(mean).map(v -> v * v).sum());
        for (int i = 0; i < mean.length; i++) {
            assertEquals(mean[i] / norm, actual[i], 1e-6, "component " + i);
        }
    }

    @Test
    void singleTemplateEnsembleIsThePromptEmbedding() {
        float[] label = new ZeroShotClassifier(model).labelEmbeddings(List.of("dog"))[0];
        assertArrayEquals(model.embedText("a photo of a dog."), label, 1e-6f);
    }

    @Test
    void labelEmbeddingsAreCachedSoEachLabelIsEmbeddedOnce() {
        CountingEmbedder embedder = new CountingEmbedder(model);
        ZeroShotClassifier classifier = embedder.classifier(PromptTemplates.DEFAULT, 10);
        float[] first = classifier.labelEmbeddings(List.of("cat", "dog"))[1];
        float[] again = classifier.labelEmbeddings(List.of("dog"))[0];
        classifier.classify(ImageInput.of(TINY.resolve("images/shapes_80x60_rgb.png")), List.of("dog", "cat"));
        assertArrayEquals(first, again);
        assertEquals(1, embedder.calls("a photo of a cat."));
        assertEquals(1, embedder.calls("a photo of a dog."));
    }

    @Test
    void mutatingAReturnedEmbeddingChangesNoLaterResult() {
        ZeroShotClassifier classifier = new ZeroShotClassifier(model);
        ImageInput image = ImageInput.of(TINY.resolve("images/shapes_80x60_rgb.png"));
        List<String> candidates = List.of("cat", "dog", "car");
        List<Label> before = classifier.classify(image, candidates);
        float[] cat = classifier.labelEmbeddings(List.of("cat"))[0];
        float[] original = cat.clone();
        java.util.Arrays.fill(cat, Float.NaN);
        classifier.labelEmbeddings(List.of("cat", "dog"))[1][0] = 42f;

        assertArrayEquals(original, classifier.labelEmbeddings(List.of("cat"))[0]);
        assertEquals(before, classifier.classify(image, candidates));
    }

    @Test
    void leastRecentlyUsedLabelIsEvictedBeyondTheCacheSize() {
        CountingEmbedder embedder = new CountingEmbedder(model);
        ZeroShotClassifier classifier = embedder.classifier(List.of("{}"), 2);
        classifier.labelEmbeddings(List.of("cat", "dog"));
        classifier.labelEmbeddings(List.of("cat"));  // cat is now the most recently used, dog the least
        classifier.labelEmbeddings(List.of("car"));  // a third label: dog goes
        classifier.labelEmbeddings(List.of("cat", "car"));
        assertEquals(1, embedder.calls("cat"));
        assertEquals(1, embedder.calls("car"));
        assertEquals(1, embedder.calls("dog"));

        float[] dog = classifier.labelEmbeddings(List.of("dog"))[0];
        assertEquals(2, embedder.calls("dog"), "dog was evicted, so it is embedded again");
        assertArrayEquals(model.embedText("dog"), dog);
    }

    @Test
    void cacheSizeZeroEmbedsOnEveryCall() {
        CountingEmbedder embedder = new CountingEmbedder(model);
        ZeroShotClassifier classifier = embedder.classifier(List.of("{}"), 0);
        float[] first = classifier.labelEmbeddings(List.of("cat"))[0];
        float[] second = classifier.labelEmbeddings(List.of("cat"))[0];
        assertEquals(2, embedder.calls("cat"));
        assertArrayEquals(first, second);
        assertThrows(InputException.class, () -> new ZeroShotClassifier(model, List.of("{}"), -1));
    }

    @Test
    void threadsMissingTheSameNewLabelsTogetherEmbedEachLabelOnceWithTheSerialResults() throws Exception {
        List<String> templates = PromptTemplates.preset("imagenet7");
        List<String> candidates = List.of("cat", "dog", "car", "tree", "house");
        ImageInput image = ImageInput.of(TINY.resolve("images/noise_64x40_rgb.png"));
        int threads = 8;
        // Each thread asks for the labels in its own order, so the threads' misses overlap in different ways.
        List<List<String>> labelLists = new ArrayList<>();
        List<List<Label>> serial = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> rotated = new ArrayList<>(candidates);
            java.util.Collections.rotate(rotated, t);
            labelLists.add(rotated);
            serial.add(new ZeroShotClassifier(model, templates).classify(image, rotated));
        }

        CountingEmbedder embedder = new CountingEmbedder(model).gated();
        ZeroShotClassifier classifier = embedder.classifier(templates, 100);
        List<FutureTask<List<Label>>> tasks = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> labelList = labelLists.get(t);
            FutureTask<List<Label>> task = new FutureTask<>(() -> classifier.classify(image, labelList));
            tasks.add(task);
            workers.add(Thread.ofPlatform().start(task));
        }
        // Every thread is now either embedding (held at the gate) or waiting for another's embedding.
        awaitAllWaiting(workers);
        embedder.open();
        for (int t = 0; t < threads; t++) {
            assertEquals(serial.get(t), tasks.get(t).get(60, TimeUnit.SECONDS), "thread " + t);
        }
        for (String label : candidates) {
            for (String template : templates) {
                String prompt = PromptTemplates.apply(template, label);
                assertEquals(1, embedder.calls(prompt), prompt);
            }
        }
    }

    @Test
    void aFailedEmbeddingReachesItsWaitersAndIsNotCached() throws Exception {
        CountingEmbedder embedder = new CountingEmbedder(model).gated().failingOnce();
        ZeroShotClassifier classifier = embedder.classifier(List.of("{}"), 10);
        FutureTask<float[][]> first = new FutureTask<>(() -> classifier.labelEmbeddings(List.of("cat")));
        Thread firstThread = Thread.ofPlatform().start(first);
        awaitAllWaiting(List.of(firstThread));  // held at the gate, "cat" in flight
        FutureTask<float[][]> second = new FutureTask<>(() -> classifier.labelEmbeddings(List.of("cat")));
        Thread secondThread = Thread.ofPlatform().start(second);
        awaitAllWaiting(List.of(firstThread, secondThread));  // the second waits for the first's embedding
        embedder.open();

        var firstFailure = assertThrows(ExecutionException.class, () -> first.get(60, TimeUnit.SECONDS));
        var secondFailure = assertThrows(ExecutionException.class, () -> second.get(60, TimeUnit.SECONDS));
        assertSame(embedder.thrown(), firstFailure.getCause());
        assertSame(embedder.thrown(), secondFailure.getCause());

        float[] retried = classifier.labelEmbeddings(List.of("cat"))[0];
        assertEquals(2, embedder.calls("cat"), "the failure was not cached: the next call embedded again");
        assertArrayEquals(model.embedText("cat"), retried);
    }

    @Test
    void presetsHaveThePapersTemplateCounts() {
        assertEquals(80, PromptTemplates.preset("imagenet80").size());
        assertEquals(7, PromptTemplates.preset("imagenet7").size());
        assertTrue(PromptTemplates.preset("imagenet80").containsAll(PromptTemplates.preset("imagenet7")));
        assertThrows(InputException.class, () -> PromptTemplates.preset("imagenet81"));
    }

    @Test
    void eightThreadsClassifyingAtOnceGiveTheSerialResults() throws Exception {
        ZeroShotClassifier classifier = new ZeroShotClassifier(model, PromptTemplates.preset("imagenet7"));
        List<String> candidates = List.of("cat", "dog", "car", "tree", "house");
        List<Path> images = List.of(TINY.resolve("images/gradient_64x64_rgb.png"), TINY.resolve("images/shapes_80x60_rgb.png"),
                TINY.resolve("images/noise_64x40_rgb.png"), TINY.resolve("images/radial_40x56_gray.png"));
        List<List<Label>> serial = new ArrayList<>();
        for (Path image : images) {
            serial.add(new ZeroShotClassifier(model, classifier.templates()).classify(ImageInput.of(image), candidates));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<Label>>> futures = new ArrayList<>();
            for (int task = 0; task < 64; task++) {
                Path image = images.get(task % images.size());
                futures.add(pool.submit(() -> classifier.classify(ImageInput.of(image), candidates)));
            }
            for (int task = 0; task < futures.size(); task++) {
                assertEquals(serial.get(task % images.size()), futures.get(task).get(), "task " + task);
            }
        }
    }

    @Test
    void rejectsEmptyOrDuplicateLabelsAndTemplatesWithoutPlaceholder() {
        ZeroShotClassifier classifier = new ZeroShotClassifier(model);
        ImageInput image = ImageInput.of(TINY.resolve("images/gradient_64x64_rgb.png"));
        assertThrows(InputException.class, () -> classifier.classify(image, List.of()));
        var duplicate = assertThrows(InputException.class, () -> classifier.classify(image, List.of("cat", "cat")));
        assertTrue(duplicate.getMessage().contains("distinct"), duplicate.getMessage());
        var template = assertThrows(InputException.class, () -> new ZeroShotClassifier(model, List.of("a photo")));
        assertTrue(template.getMessage().contains("a photo"), template.getMessage());
    }

    /** Waits until every thread is parked (at the embedder's gate or on another thread's embedding). */
    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
            assertTrue(System.nanoTime() < deadline, "threads never all waited: "
                    + threads.stream().map(Thread::getState).toList());
            Thread.sleep(1);
        }
    }

    /**
     * The classifier's prompt embedder: the real {@code model.embedTexts}, counting how often each prompt is
     * embedded. Gated, every call waits until {@link #open()}; failing once, the first call throws (after the
     * gate) instead of embedding.
     */
    private static final class CountingEmbedder implements Function<List<String>, float[][]> {
        private final ClipModel model;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final CountDownLatch gate = new CountDownLatch(1);
        private final AtomicBoolean failNext = new AtomicBoolean();
        private volatile RuntimeException thrown;
        private boolean gated;

        CountingEmbedder(ClipModel model) {
            this.model = model;
        }

        CountingEmbedder gated() {
            gated = true;
            return this;
        }

        CountingEmbedder failingOnce() {
            failNext.set(true);
            return this;
        }

        ZeroShotClassifier classifier(List<String> templates, int cacheSize) {
            return new ZeroShotClassifier(model, templates, cacheSize, this);
        }

        void open() {
            gate.countDown();
        }

        /** The failure the first call threw, when failing once. */
        RuntimeException thrown() {
            return thrown;
        }

        int calls(String prompt) {
            AtomicInteger count = counts.get(prompt);
            return count == null ? 0 : count.get();
        }

        @Override
        public float[][] apply(List<String> prompts) {
            prompts.forEach(prompt -> counts.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet());
            if (gated) {
                try {
                    assertTrue(gate.await(60, TimeUnit.SECONDS), "gate never opened");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (failNext.getAndSet(false)) {
                thrown = new IllegalStateException("injected embedding failure");
                throw thrown;
            }
            return model.embedTexts(prompts);
        }
    }

    private static double[] softmax(double[] logits) {
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < logits.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
