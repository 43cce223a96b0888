package dev.aperture.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.backend.gpu.OpenClBackend;
import dev.aperture.core.backend.Backend;
import dev.aperture.models.OpenClRequirement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** all-MiniLM-L6-v2 on the OpenCL backend (PoCL in CI) against the golden embeddings, at the CPU's tolerances. */
@Tag("slow")
class TextEmbedderOpenClTest {

    @Test
    void everyGoldenEmbeddingWithinToleranceOnOpenCl() {
        OpenClRequirement.assumeAvailable();
        JsonNode entries = MiniLmFixture.golden().get("entries");
        List<String> texts = new ArrayList<>();
        for (JsonNode entry : entries) {
            texts.add(entry.get("text").asText());
        }
        List<String> failures = new ArrayList<>();
        double worstError = 0;
        try (Backend backend = new OpenClBackend();
             TextEmbedder embedder = TextEmbedder.load(MiniLmFixture.onnxFile(), MiniLmFixture.tokenizerFile(), backend)) {
            float[][] embeddings = embedder.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = MiniLmFixture.floats(entries.get(i).get("embedding"));
                double error = BertEncoderTapsTest.maxAbsDiff(expected, embeddings[i]);
                double cosine = ZeroShotTextClassifier.cosine(expected, embeddings[i]);
                worstError = Math.max(worstError, error);
                if (error > 1e-4 || cosine < 0.9999) {
                    failures.add("entry " + i + ": max abs " + error + ", cosine " + cosine);
                }
            }
        }
        System.out.printf("OpenCL golden embeddings: worst max abs error %.3e%n", worstError);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
