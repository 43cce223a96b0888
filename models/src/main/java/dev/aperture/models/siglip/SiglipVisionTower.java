package dev.aperture.models.siglip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;
import dev.aperture.models.transformer.ActivationTap;
import dev.aperture.models.transformer.Activations;
import dev.aperture.models.transformer.Encoder;
import dev.aperture.models.transformer.HostRows;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.LayerNorm;
import dev.aperture.models.transformer.PatchEmbedding;
import dev.aperture.models.transformer.SequenceLayout;
import dev.aperture.models.transformer.WeightLoader;

/**
 * SigLIP's vision transformer ({@code vision_model}): patch embedding (a convolution with bias) plus position
 * embedding, no class token, a pre-norm encoder, {@code post_layernorm}, then the attention-pooling head, whose output
 * is the image embedding (there is no separate projection).
 *
 * <p>Reports to the call's {@link ActivationTap}, besides the encoder's names: {@code embeddings} (the encoder's
 * input), {@code post_layernorm} ({@code last_hidden_state}), the head's {@code head_attention} and
 * {@code head_<activation>}, and {@code pooler_output}.
 */
final class SiglipVisionTower {
    static final String EMBEDDINGS = "embeddings";
    static final String POST_LAYERNORM = "post_layernorm";
    static final String POOLER_OUTPUT = "pooler_output";

    private final Backend backend;
    private final SiglipConfig.VisionConfig config;
    private final PatchEmbedding patchEmbedding;
    private final Matrix positionEmbedding;
    private final Encoder encoder;
    private final LayerNorm postLayerNorm;
    private final AttentionPoolingHead head;

    private SiglipVisionTower(Backend backend, SiglipConfig.VisionConfig config, PatchEmbedding patchEmbedding,
                              Matrix positionEmbedding, Encoder encoder, LayerNorm postLayerNorm,
                              AttentionPoolingHead head) {
        this.backend = backend;
        this.config = config;
        this.patchEmbedding = patchEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.encoder = encoder;
        this.postLayerNorm = postLayerNorm;
        this.head = head;
    }

    static SiglipVisionTower load(WeightLoader weights, SiglipConfig.VisionConfig config) {
        EncoderConfig encoderConfig = config.encoder();
        String embeddings = SiglipTensorNames.VISION + ".embeddings";
        return new SiglipVisionTower(weights.backend(), config,
                PatchEmbedding.load(weights, embeddings + ".patch_embedding", true, "vision_config",
                        config.hiddenSize(), config.numChannels(), config.imageSize(), config.patchSize(), 0),
                weights.table(embeddings + ".position_embedding.weight", config.numPatches(), config.hiddenSize(),
                        "(vision_config.image_size " + config.imageSize() + " / patch_size " + config.patchSize()
                                + ")² = " + config.numPatches() + " positions, " + encoderConfig.hiddenField()),
                Encoder.load(weights, encoderConfig, i -> SiglipTensorNames.layer(SiglipTensorNames.VISION, i)),
                LayerNorm.load(weights, SiglipTensorNames.VISION + ".post_layernorm", encoderConfig),
                AttentionPoolingHead.load(weights, SiglipTensorNames.POOLING_HEAD, encoderConfig,
                        config.numPatches()));
    }

    /** The tap names of Hugging Face's {@code vision_model(...).hidden_states}. */
    java.util.List<String> hiddenStateTapNames() {
        return encoder.hiddenStateTapNames(EMBEDDINGS);
    }

    /**
     * {@code get_image_features} of preprocessed images (each channels × image_size × image_size, CHW): one
     * pooled row per image, not normalized.
     */
    float[][] encode(float[][] pixelValues, ActivationTap tap) {
        patchEmbedding.checkPixels(pixelValues);
        if (pixelValues.length == 0) {
            return new float[0][];
        }
        int images = pixelValues.length;
        try (Activations act = encoder.activations(SequenceLayout.unpadded(images, config.numPatches()), tap);
             Matrix pooled = backend.allocate(images, config.hiddenSize())) {
            forward(pixelValues, act, pooled);
            return HostRows.split(backend.download(pooled), images);
        }
    }

    /** Patches + positions → pre-norm encoder → post_layernorm → attention pooling. */
    private void forward(float[][] pixelValues, Activations act, Matrix pooled) {
        patchEmbedding.forward(pixelValues, act.hidden());
        backend.addRowsPeriodic(act.hidden(), positionEmbedding, config.numPatches());
        act.tap(EMBEDDINGS, act.hidden());
        encoder.forward(act);
        postLayerNorm.apply(act.hidden(), act.normalized());
        act.tap(POST_LAYERNORM, act.normalized());
        head.forward(act, pooled);
        act.tap(POOLER_OUTPUT, pooled);
    }

    void close() {
        positionEmbedding.close();
        encoder.close();
        postLayerNorm.close();
        head.close();
    }
}
