package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells a BERT-family sentence-embedding model from a CLIP one, so {@code embed} serves both. */
final class TextModelKind {
    private TextModelKind() {
    }

    /**
     * True for an {@code .onnx} file, or a local folder whose {@code config.json} names a model type other than
     * CLIP; false for CLIP folders and hub ids (which the CLIP path resolves and checks).
     */
    static boolean isSentenceEmbeddingModel(String model) {
        if (model.endsWith(".onnx")) {
            return true;
        }
        Path config = Path.of(model).resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            JsonNode modelType = new ObjectMapper().readTree(config.toFile()).path("model_type");
            return modelType.isTextual() && !modelType.asText().startsWith("clip");
        } catch (IOException e) {
            return false;  // the CLIP loader reports the malformed config with its file name
        }
    }
}
