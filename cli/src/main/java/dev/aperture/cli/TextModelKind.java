package dev.aperture.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tells a BERT-family sentence-embedding model from a CLIP one, so {@code embed} serves both. */
final class TextModelKind {
    /** Just the config: enough to tell the model family before fetching anything else. */
    private static final ModelFiles CONFIG_ONLY = new ModelFiles(List.of("config.json"), List.of(), List.of(), null);

    private TextModelKind() {
    }

    /**
     * True for an {@code .onnx} file, or a model whose {@code config.json} names a model type other than CLIP (a
     * local folder, or a hub id, whose config alone is fetched first); false for CLIP models.
     */
    static boolean isSentenceEmbeddingModel(String model, HubOptions hub) {
        if (model.endsWith(".onnx")) {
            return true;
        }
        Path folder = Files.isDirectory(Path.of(model)) ? Path.of(model)
                : ModelSource.resolve(model, hub.withFiles(CONFIG_ONLY)).folder();
        Path config = folder.resolve("config.json");
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
