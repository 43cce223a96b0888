package dev.aperture.models.clip;

import dev.aperture.models.transformer.BlockTensorNames;

import java.util.ArrayList;
import java.util.List;

/** Hugging Face CLIPModel's state-dict keys: the shared blocks' names, and all a checkpoint must hold for a config. */
public final class ClipTensorNames {
    static final String TEXT_ENCODER = "text_model.encoder";
    static final String VISION_ENCODER = "vision_model.encoder";

    private ClipTensorNames() {
    }

    /** The names of layer {@code index} of the encoder at {@code encoderPrefix}. */
    static BlockTensorNames layer(String encoderPrefix, int index) {
        return BlockTensorNames.clipStyle(encoderPrefix + ".layers." + index);
    }

    /** Every tensor a checkpoint of {@code config} holds, in checkpoint order. */
    public static List<String> expected(ClipConfig config) {
        List<String> names = new ArrayList<>();
        names.add("logit_scale");
        names.add("text_model.embeddings.token_embedding.weight");
        names.add("text_model.embeddings.position_embedding.weight");
        addEncoder(names, TEXT_ENCODER, config.text().numHiddenLayers());
        addWeightAndBias(names, "text_model.final_layer_norm");
        names.add("text_projection.weight");
        names.add("vision_model.embeddings.class_embedding");
        names.add("vision_model.embeddings.patch_embedding.weight");
        names.add("vision_model.embeddings.position_embedding.weight");
        addWeightAndBias(names, "vision_model.pre_layrnorm");
        addEncoder(names, VISION_ENCODER, config.vision().numHiddenLayers());
        addWeightAndBias(names, "vision_model.post_layernorm");
        names.add("visual_projection.weight");
        return names;
    }

    private static void addEncoder(List<String> names, String prefix, int numLayers) {
        for (int i = 0; i < numLayers; i++) {
            names.addAll(layer(prefix, i).tensorNames());
        }
    }

    private static void addWeightAndBias(List<String> names, String prefix) {
        names.add(prefix + ".weight");
        names.add(prefix + ".bias");
    }
}
