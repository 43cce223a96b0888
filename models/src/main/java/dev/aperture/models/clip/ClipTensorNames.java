package dev.aperture.models.clip;

import java.util.ArrayList;
import java.util.List;

/** The tensor names (Hugging Face CLIPModel state-dict keys) a checkpoint must hold for a given config. */
final class ClipTensorNames {
    private ClipTensorNames() {
    }

    static List<String> expected(ClipConfig config) {
        List<String> names = new ArrayList<>();
        names.add("logit_scale");
        names.add("text_model.embeddings.token_embedding.weight");
        names.add("text_model.embeddings.position_embedding.weight");
        addEncoder(names, "text_model.encoder", config.text().numHiddenLayers());
        addLayerNorm(names, "text_model.final_layer_norm");
        names.add("text_projection.weight");
        names.add("vision_model.embeddings.class_embedding");
        names.add("vision_model.embeddings.patch_embedding.weight");
        names.add("vision_model.embeddings.position_embedding.weight");
        addLayerNorm(names, "vision_model.pre_layrnorm");
        addEncoder(names, "vision_model.encoder", config.vision().numHiddenLayers());
        addLayerNorm(names, "vision_model.post_layernorm");
        names.add("visual_projection.weight");
        return names;
    }

    private static void addEncoder(List<String> names, String prefix, int numLayers) {
        for (int i = 0; i < numLayers; i++) {
            String layer = prefix + ".layers." + i;
            for (String projection : new String[]{"q_proj", "k_proj", "v_proj", "out_proj"}) {
                addWeightAndBias(names, layer + ".self_attn." + projection);
            }
            addLayerNorm(names, layer + ".layer_norm1");
            addWeightAndBias(names, layer + ".mlp.fc1");
            addWeightAndBias(names, layer + ".mlp.fc2");
            addLayerNorm(names, layer + ".layer_norm2");
        }
    }

    private static void addLayerNorm(List<String> names, String prefix) {
        addWeightAndBias(names, prefix);
    }

    private static void addWeightAndBias(List<String> names, String prefix) {
        names.add(prefix + ".weight");
        names.add(prefix + ".bias");
    }
}
