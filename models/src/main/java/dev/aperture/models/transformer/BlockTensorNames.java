package dev.aperture.models.transformer;

import java.util.ArrayList;
import java.util.List;

/**
 * A model family's names for the parts of one encoder block: each a module prefix whose {@code .weight} and
 * {@code .bias} the checkpoint holds. This record is all a new family has to say about its encoder's weights.
 *
 * @param attentionNorm the attention sublayer's layer norm (CLIP {@code layer_norm1}, before attention; BERT
 *                      {@code attention.output.LayerNorm}, after the residual add)
 * @param mlpUp         the MLP's widening projection (CLIP {@code mlp.fc1}, BERT {@code intermediate.dense})
 * @param mlpDown       the MLP's narrowing projection (CLIP {@code mlp.fc2}, BERT {@code output.dense})
 * @param mlpNorm       the MLP sublayer's layer norm (CLIP {@code layer_norm2}, BERT {@code output.LayerNorm})
 */
public record BlockTensorNames(String query, String key, String value, String attentionOutput, String attentionNorm,
                               String mlpUp, String mlpDown, String mlpNorm) {

    /**
     * The names of the encoder layer at {@code layer} in the models transformers derived from CLIP (CLIP, SigLIP):
     * {@code self_attn.q_proj}, ..., {@code layer_norm1}, {@code mlp.fc1}, {@code mlp.fc2}, {@code layer_norm2}.
     */
    public static BlockTensorNames clipStyle(String layer) {
        return new BlockTensorNames(layer + ".self_attn.q_proj", layer + ".self_attn.k_proj",
                layer + ".self_attn.v_proj", layer + ".self_attn.out_proj", layer + ".layer_norm1",
                layer + ".mlp.fc1", layer + ".mlp.fc2", layer + ".layer_norm2");
    }

    /** Every tensor name of the block, weights and biases, in checkpoint order. */
    public List<String> tensorNames() {
        List<String> names = new ArrayList<>(16);
        for (String module : List.of(query, key, value, attentionOutput, attentionNorm, mlpUp, mlpDown, mlpNorm)) {
            names.add(module + ".weight");
            names.add(module + ".bias");
        }
        return names;
    }
}
