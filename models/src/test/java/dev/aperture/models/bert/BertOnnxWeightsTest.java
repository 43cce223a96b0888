package dev.aperture.models.bert;

import dev.aperture.core.FormatException;
import dev.aperture.models.bert.onnx.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.aperture.models.bert.onnx.OnnxBytes.bytes;
import static dev.aperture.models.bert.onnx.OnnxBytes.concat;
import static dev.aperture.models.bert.onnx.OnnxBytes.field;
import static dev.aperture.models.bert.onnx.OnnxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BERT weights from an ONNX export: anonymous MatMul weights by graph position, the config derived from them. */
class BertOnnxWeightsTest {

    @Test
    void mapsAnonymousMatMulWeightsThroughNodeNamesTransposed() {
        try (OnnxModel model = OnnxModel.open(MiniLmFixture.onnxFile());
             BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(MiniLmFixture.onnxFile()))) {
            float[] stored = model.tensor("onnx::MatMul_798").toFloatArray(); // layer 0 intermediate, [384, 1536]
            float[] mapped = weights.tensor("encoder.layer.0.intermediate.dense.weight").toFloatArray();
            assertArrayEquals(new long[] {1536, 384}, weights.tensor("encoder.layer.0.intermediate.dense.weight").shape());
            for (int in : new int[] {0, 7, 383}) {
                for (int out : new int[] {0, 100, 1535}) {
                    assertEquals(stored[in * 1536 + out], mapped[out * 384 + in]);
                }
            }
            assertEquals(36, weights.names().stream().filter(n -> n.endsWith(".weight") && n.contains("dense")
                    || n.matches(".*self\\.(query|key|value)\\.weight")).count());
        }
    }

    @Test
    void derivesMiniLmConfigFromWeightsAndGraph() {
        try (BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(MiniLmFixture.onnxFile()))) {
            int heads = weights.inferNumAttentionHeads(384);
            BertConfig config = BertConfig.fromWeights(weights, heads);
            assertEquals(12, heads);
            assertEquals(new BertConfig(30522, 384, 6, 12, 1536, dev.aperture.core.backend.Activation.GELU, 512, 2,
                    1e-12f, 0), config);
        }
    }

    @Test
    void missingBertInitializerIsFormatException(@TempDir Path dir) throws IOException {
        byte[] graph = field(5, concat(bytes(0x08, 0x01, 0x10, 0x01), field(8, "x".getBytes(StandardCharsets.UTF_8)),
                field(9, new byte[4])));
        try (BertOnnxWeights weights = BertOnnxWeights.of(OnnxModel.open(write(dir, field(7, graph))))) {
            FormatException e = assertThrows(FormatException.class,
                    () -> BertConfig.fromWeights(weights, 12));
            assertTrue(e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
        }
    }
}
