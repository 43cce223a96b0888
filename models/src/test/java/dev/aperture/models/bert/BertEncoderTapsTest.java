package dev.aperture.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.backend.Backend;
import dev.aperture.models.bert.onnx.OnnxModel;
import dev.aperture.models.tokenizer.TokenBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer by layer against onnxruntime's activations in testdata/minilm/debug_taps.json (entries 0 and 1). */
class BertEncoderTapsTest {
    /** fp32 activations of O(1..10) magnitude; an error of one layer would show as >> 1e-3. */
    private static final double TOLERANCE = 1e-4;
    private static Backend backend;
    private static BertOnnxWeights weights;
    private static BertEncoder encoder;

    @BeforeAll
    static void load() {
        backend = MiniLmFixture.backend();
        weights = BertOnnxWeights.of(OnnxModel.open(MiniLmFixture.onnxFile()));
        encoder = BertEncoder.load(backend, BertConfig.fromWeights(weights, 12), weights);
    }

    @AfterAll
    static void close() {
        encoder.close();
        weights.close();
        backend.close();
    }

    @Test
    void everyTapMatchesOnnxRuntimeForBothTexts() {
        JsonNode texts = MiniLmFixture.debugTaps().get("texts");
        assertEquals(2, texts.size());
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (JsonNode text : texts) {
            int[] ids = MiniLmFixture.ints(text.get("token_ids"));
            Map<String, float[]> actual = new HashMap<>();
            encoder.encode(TokenBatch.padded(List.of(ids), 0), (name, m) -> actual.put(name, backend.download(m)));
            for (Map.Entry<String, JsonNode> tap : text.get("taps").properties()) {
                float[] expected = MiniLmFixture.floats(tap.getValue().get("data"));
                float[] got = actual.get(tap.getKey());
                assertTrue(got != null, "encoder reported no tap " + tap.getKey());
                assertEquals(expected.length, got.length, tap.getKey());
                double maxError = maxAbsDiff(expected, got);
                report.append(String.format("text %d %-15s max abs err %.2e%n", text.get("index").asInt(), tap.getKey(), maxError));
                ok &= maxError <= TOLERANCE;
            }
        }
        System.out.print(report);
        assertTrue(ok, report.toString());
    }

    static double maxAbsDiff(float[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
