package dev.aperture.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What family a model is, from its {@code config.json} alone, before anything else is fetched. */
public final class ModelTypes {
    /** Just the config: enough to tell the family. */
    private static final ModelFiles CONFIG_ONLY = new ModelFiles(List.of("config.json"), List.of(), List.of(), null);

    private ModelTypes() {
    }

    /**
     * {@code config.json}'s {@code model_type} of a local folder or hub id (for a hub id only config.json is fetched,
     * or read from the cache); {@code ""} when the folder has no config.json or it names no type, or does not
     * parse (the family's own loader then reports the file).
     */
    public static String of(String folderOrHubId, HubOptions hub) {
        Path folder = Files.isDirectory(Path.of(folderOrHubId)) ? Path.of(folderOrHubId)
                : ModelSource.resolve(folderOrHubId, hub.withFiles(CONFIG_ONLY)).folder();
        Path config = folder.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return "";
        }
        try {
            JsonNode modelType = new ObjectMapper().readTree(config.toFile()).path("model_type");
            return modelType.isTextual() ? modelType.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * True for a BERT-family sentence-embedding model ({@code bert.TextEmbedder}): an {@code .onnx} file, or a model
     * whose {@code config.json} names a model type other than CLIP's and SigLIP's (a local folder, or a hub id, whose
     * config alone is fetched first); false for an image-text model.
     */
    public static boolean isSentenceEmbedder(String folderOrHubId, HubOptions hub) {
        if (folderOrHubId.endsWith(".onnx")) {
            return true;
        }
        String modelType = of(folderOrHubId, hub);
        return !modelType.isEmpty() && !modelType.startsWith("clip") && !modelType.equals(SiglipModel.MODEL_TYPE);
    }
}
