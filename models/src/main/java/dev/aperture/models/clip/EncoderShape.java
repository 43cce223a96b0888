package dev.aperture.models.clip;

import dev.aperture.core.backend.Activation;

/**
 * What the transformer blocks of one tower need from its config, shared by the text and vision encoders.
 *
 * @param configKey {@code text_config} or {@code vision_config}: names the fields in error messages
 */
record EncoderShape(String configKey, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                    float layerNormEps, Activation activation) {

    static EncoderShape of(ClipConfig.TextConfig text) {
        return new EncoderShape("text_config", text.hiddenSize(), text.intermediateSize(), text.numHiddenLayers(),
                text.numAttentionHeads(), text.layerNormEps(), text.activation());
    }

    static EncoderShape of(ClipConfig.VisionConfig vision) {
        return new EncoderShape("vision_config", vision.hiddenSize(), vision.intermediateSize(),
                vision.numHiddenLayers(), vision.numAttentionHeads(), vision.layerNormEps(), vision.activation());
    }

    int headDim() {
        return hiddenSize / numHeads;
    }

    /** Explains a {@code [hidden]} or {@code [hidden, hidden]} shape in error messages. */
    String hiddenField() {
        return configKey + ".hidden_size " + hiddenSize;
    }

    /** Explains an MLP weight's shape in error messages. */
    String mlpFields() {
        return configKey + ".intermediate_size " + intermediateSize + ", " + hiddenField();
    }
}
