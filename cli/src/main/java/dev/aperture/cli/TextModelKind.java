package dev.aperture.cli;

import dev.aperture.models.ModelTypes;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;

/** Tells a BERT-family sentence-embedding model from an image-text one (CLIP, SigLIP), so {@code embed} serves both. */
final class TextModelKind {
    private TextModelKind() {
    }

    /**
     * True for an {@code .onnx} file, or a model whose {@code config.json} names a model type other than CLIP's and
     * SigLIP's (a local folder, or a hub id, whose config alone is fetched first); false for those.
     */
    static boolean isSentenceEmbeddingModel(String model, HubOptions hub) {
        if (model.endsWith(".onnx")) {
            return true;
        }
        String modelType = ModelTypes.of(model, hub);
        return !modelType.isEmpty() && !modelType.startsWith("clip") && !modelType.equals(SiglipModel.MODEL_TYPE);
    }
}
