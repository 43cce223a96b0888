package dev.aperture.models.bert;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroShotTextClassifierTest {
    private static Backend backend;
    private static TextEmbedder embedder;

    @BeforeAll
    static void load() {
        backend = MiniLmFixture.backend();
        embedder = TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(), backend);
    }

    @AfterAll
    static void close() {
        embedder.close();
        backend.close();
    }

    @Test
    void ranksTheFittingTopicFirst() {
        ZeroShotTextClassifier classifier = new ZeroShotTextClassifier(embedder,
                List.of("sports", "cooking", "finance"), "This text is about {}.");
        List<List<TextLabelScore>> results = classifier.classify(List.of(
                "The striker scored twice in the second half of the match.",
                "Simmer the onions in butter until golden, then add the garlic.",
                "The central bank raised interest rates to curb inflation."));
        assertEquals("sports", results.get(0).getFirst().label());
        assertEquals("cooking", results.get(1).getFirst().label());
        assertEquals("finance", results.get(2).getFirst().label());
    }

    @Test
    void scoresAreCosinesSortedDescending() {
        ZeroShotTextClassifier classifier = new ZeroShotTextClassifier(embedder, List.of("a cat", "a guitar"), null);
        String text = "A man is playing a guitar.";
        List<TextLabelScore> scores = classifier.classify(text);
        assertTrue(scores.get(0).score() >= scores.get(1).score());
        float[] textEmbedding = embedder.embed(text);
        for (TextLabelScore score : scores) {
            assertEquals(ZeroShotTextClassifier.cosine(textEmbedding, embedder.embed(score.label())), score.score(), 1e-6);
        }
    }

    @Test
    void rejectsEmptyLabelList() {
        assertThrows(InputException.class, () -> new ZeroShotTextClassifier(embedder, List.of(), null));
    }

    @Test
    void rejectsTemplateWithoutPlaceholder() {
        assertThrows(InputException.class, () -> new ZeroShotTextClassifier(embedder, List.of("x"), "no slot"));
    }
}
