package dev.aperture.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.backend.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** all-MiniLM-L6-v2 from the real ONNX weights against testdata/minilm/golden.json. */
class TextEmbedderTest {
    /** golden.json's suggested_tolerances for an fp32 engine. */
    private static final double EMBEDDING_MAX_ABS = 1e-4;
    private static final double COSINE_MIN = 0.9999;
    private static final double PAIR_COSINE_TOLERANCE = 1e-4;

    private static Backend backend;
    private static TextEmbedder embedder;
    private static List<String> texts;
    private static float[][] embeddings;

    @BeforeAll
    static void load() {
        backend = MiniLmFixture.backend();
        embedder = TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(), backend);
        texts = new ArrayList<>();
        for (JsonNode entry : MiniLmFixture.golden().get("entries")) {
            texts.add(entry.get("text").asText());
        }
        embeddings = embedder.embed(texts);
    }

    @AfterAll
    static void close() {
        embedder.close();
        backend.close();
    }

    @Test
    void everyGoldenEmbeddingWithinTolerance() {
        JsonNode entries = MiniLmFixture.golden().get("entries");
        double worstError = 0;
        double worstCosine = 1;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            float[] expected = MiniLmFixture.floats(entries.get(i).get("embedding"));
            assertEquals(384, embeddings[i].length);
            double error = BertEncoderTapsTest.maxAbsDiff(expected, embeddings[i]);
            double cosine = ZeroShotTextClassifier.cosine(expected, embeddings[i]);
            worstError = Math.max(worstError, error);
            worstCosine = Math.min(worstCosine, cosine);
            if (error > EMBEDDING_MAX_ABS || cosine < COSINE_MIN) {
                failures.add("entry " + i + " " + entries.get(i).get("text") + ": max abs " + error + ", cosine " + cosine);
            }
        }
        System.out.printf("golden embeddings: worst max abs error %.3e, worst cosine %.8f%n", worstError, worstCosine);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void pairCosinesMatchGolden() {
        for (JsonNode pair : MiniLmFixture.golden().get("pairs")) {
            float cosine = ZeroShotTextClassifier.cosine(embeddings[pair.get("index_a").asInt()],
                    embeddings[pair.get("index_b").asInt()]);
            assertEquals(pair.get("cosine").asDouble(), cosine, PAIR_COSINE_TOLERANCE, pair.toString());
        }
    }

    @Test
    void paraphrasesScoreAboveUnrelatedPairs() {
        double weakestParaphrase = 1;
        double strongestUnrelated = -1;
        for (JsonNode pair : MiniLmFixture.golden().get("pairs")) {
            float cosine = ZeroShotTextClassifier.cosine(embeddings[pair.get("index_a").asInt()],
                    embeddings[pair.get("index_b").asInt()]);
            if (pair.get("kind").asText().equals("paraphrase")) {
                weakestParaphrase = Math.min(weakestParaphrase, cosine);
            } else {
                strongestUnrelated = Math.max(strongestUnrelated, cosine);
            }
        }
        assertTrue(weakestParaphrase > strongestUnrelated + 0.3,
                "paraphrase " + weakestParaphrase + " vs unrelated " + strongestUnrelated);
    }

    @Test
    void paddedBatchEqualsSingleSentences() {
        // Lengths 4..128 in one batch: most rows are padded.
        List<String> mixed = List.of(texts.get(0), texts.get(1), texts.get(2), texts.get(11));
        float[][] batched = embedder.embed(mixed);
        for (int i = 0; i < mixed.size(); i++) {
            float[] single = embedder.embed(mixed.get(i));
            assertTrue(BertEncoderTapsTest.maxAbsDiff(single, batched[i]) <= 1e-6, "text " + i);
        }
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        List<String> sample = texts.subList(0, 8);
        float[][] expected = embedder.embed(sample);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<float[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> embedder.embed(sample)));
            }
            for (var future : futures) {
                float[][] actual = future.get();
                for (int i = 0; i < sample.size(); i++) {
                    assertArrayEquals(expected[i], actual[i], 0f);
                }
            }
        }
    }

    @Test
    void embeddingsAreUnitLength() {
        for (float[] embedding : embeddings) {
            double norm = 0;
            for (float v : embedding) {
                norm += v * v;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
    }

    @Test
    void resultsKeepInputOrderAfterLengthSorting() {
        float[][] reversed = embedder.embed(List.of(texts.get(3), texts.get(0)));
        assertArrayEquals(embeddings[3], reversed[0], 1e-6f);
        assertArrayEquals(embeddings[0], reversed[1], 1e-6f);
    }
}
