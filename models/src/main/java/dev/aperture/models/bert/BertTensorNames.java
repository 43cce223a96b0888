package dev.aperture.models.bert;

import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.transformer.BlockTensorNames;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face BertModel's state-dict keys, with the {@code "bert."} prefix a {@code BertFor...} checkpoint puts in
 * front of them, or without it.
 *
 * @param prefix {@code "bert."} or {@code ""}
 */
record BertTensorNames(String prefix) {
    static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    static final String EMBEDDINGS_LAYER_NORM = "embeddings.LayerNorm";

    /** The naming {@code weights} uses. */
    static BertTensorNames of(TensorSource weights) {
        return new BertTensorNames(weights.contains("bert." + WORD_EMBEDDINGS) ? "bert." : "");
    }

    /** {@code name} as this checkpoint spells it. */
    String name(String name) {
        return prefix + name;
    }

    /** The names of layer {@code index}. */
    BlockTensorNames layer(int index) {
        String layer = prefix + "encoder.layer." + index;
        return new BlockTensorNames(layer + ".attention.self.query", layer + ".attention.self.key",
                layer + ".attention.self.value", layer + ".attention.output.dense",
                layer + ".attention.output.LayerNorm", layer + ".intermediate.dense", layer + ".output.dense",
                layer + ".output.LayerNorm");
    }

    /** Every tensor a checkpoint of {@code numLayers} layers must hold. */
    List<String> expected(int numLayers) {
        List<String> names = new ArrayList<>(List.of(name(WORD_EMBEDDINGS), name(POSITION_EMBEDDINGS),
                name(TOKEN_TYPE_EMBEDDINGS), name(EMBEDDINGS_LAYER_NORM) + ".weight",
                name(EMBEDDINGS_LAYER_NORM) + ".bias"));
        for (int i = 0; i < numLayers; i++) {
            names.addAll(layer(i).tensorNames());
        }
        return names;
    }
}
