package dev.aperture.models.transformer;

import dev.aperture.core.backend.Activation;

/**
 * What the shared blocks need to know of a model's config: sizes, the MLP's activation, the layer-norm epsilon,
 * where the norms sit and whether attention is causal.
 *
 * @param configKey     the config section the fields live in ({@code text_config}, {@code vision_config}), or
 *                      {@code ""} for fields at the top level (BERT): names them in error messages
 * @param causal        position t attends only to positions ≤ t (CLIP's text tower)
 */
public record EncoderConfig(String configKey, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                            float layerNormEps, Activation activation, NormPlacement normPlacement,
                            boolean causal) {

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** The config field {@code name} as an error message cites it, e.g. {@code vision_config.hidden_size 768}. */
    public String field(String name, int value) {
        return (configKey.isEmpty() ? "" : configKey + ".") + name + " " + value;
    }

    /** Explains a {@code [hidden]} or {@code [hidden, hidden]} shape in error messages. */
    public String hiddenField() {
        return field("hidden_size", hiddenSize);
    }

    /** Explains an MLP weight's shape in error messages. */
    public String mlpFields() {
        return field("intermediate_size", intermediateSize) + ", " + hiddenField();
    }
}
