package dev.aperture.models.siglip;

import dev.aperture.models.transformer.BlockTensorNames;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face SiglipModel's state-dict keys. The encoder layers are named as in CLIP; what is SigLIP's own: the
 * patch convolution's bias, no class token, the text {@code head}, {@code logit_bias}, and the vision
 * {@code head} (the attention-pooling probe with PyTorch {@code nn.MultiheadAttention}'s stacked
 * {@code in_proj_weight}).
 *
 * <p>Public for the synthetic models ({@code siglip.synthetic}), which generate exactly these tensors.
 */
public final class SiglipTensorNames {
    static final String TEXT = "text_model";
    static final String VISION = "vision_model";
    static final String POOLING_HEAD = VISION + ".head";

    private SiglipTensorNames() {
    }

    /** The names of layer {@code index} of the tower at {@code tower} ({@code text_model}, {@code vision_model}). */
    static BlockTensorNames layer(String tower, int index) {
        return BlockTensorNames.clipStyle(tower + ".encoder.layers." + index);
    }

    /** Every tensor a checkpoint of {@code config} holds, in checkpoint order. */
    public static List<String> expected(SiglipConfig config) {
        List<String> names = new ArrayList<>(List.of("logit_bias", "logit_scale",
                TEXT + ".embeddings.position_embedding.weight", TEXT + ".embeddings.token_embedding.weight"));
        addEncoder(names, TEXT, config.text().numHiddenLayers());
        addWeightAndBias(names, TEXT + ".final_layer_norm");
        addWeightAndBias(names, TEXT + ".head");
        addWeightAndBias(names, VISION + ".embeddings.patch_embedding");
        names.add(VISION + ".embeddings.position_embedding.weight");
        addEncoder(names, VISION, config.vision().numHiddenLayers());
        names.add(POOLING_HEAD + ".attention.in_proj_bias");
        names.add(POOLING_HEAD + ".attention.in_proj_weight");
        addWeightAndBias(names, POOLING_HEAD + ".attention.out_proj");
        addWeightAndBias(names, POOLING_HEAD + ".layernorm");
        addWeightAndBias(names, POOLING_HEAD + ".mlp.fc1");
        addWeightAndBias(names, POOLING_HEAD + ".mlp.fc2");
        names.add(POOLING_HEAD + ".probe");
        addWeightAndBias(names, VISION + ".post_layernorm");
        return names;
    }

    private static void addEncoder(List<String> names, String tower, int numLayers) {
        for (int i = 0; i < numLayers; i++) {
            names.addAll(layer(tower, i).tensorNames());
        }
    }

    private static void addWeightAndBias(List<String> names, String prefix) {
        names.add(prefix + ".weight");
        names.add(prefix + ".bias");
    }
}
