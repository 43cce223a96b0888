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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    void labelEmbeddingsAreCached() {
        ZeroShotClassifier classifier = new ZeroShotClassifier(model);
        float[] first = classifier.labelEmbeddings(List.of("cat", "dog"))[1];
        float[] again = classifier.labelEmbeddings(List.of("dog"))[0];
        assertSame(first, again);
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
