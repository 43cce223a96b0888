package dev.aperture.models.siglip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.backend.Activation;
import dev.aperture.models.loading.ConfigFields;
import dev.aperture.models.transformer.EncoderConfig;
import dev.aperture.models.transformer.NormPlacement;

import java.nio.file.Path;

import static dev.aperture.models.loading.ConfigFields.requireHeads;
import static dev.aperture.models.loading.ConfigFields.requirePositive;

/**
 * A SigLIP or SigLIP 2 (fixed resolution) model's {@code config.json} ({@code model_type: "siglip"}), with Hugging
 * Face's field names and the defaults of transformers' {@code SiglipTextConfig} and {@code SiglipVisionConfig}
 * (those of {@code google/siglip-base-patch16-224}) for any field the file omits.
 */
public record SiglipConfig(TextConfig text, VisionConfig vision) {
    /** The {@code model_type} of the configs this reads. */
    public static final String MODEL_TYPE = "siglip";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The text tower's {@code text_config}.
     *
     * @param projectionSize {@code projection_size}: width of the {@code head} linear, the text embedding (defaults
     *                       to {@code hidden_size}); it must equal the vision tower's width, which is the image
     *                       embedding's
     */
    public record TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                             int numAttentionHeads, int maxPositionEmbeddings, String hiddenAct, float layerNormEps,
                             int padTokenId, int projectionSize) {
        public TextConfig {
            requirePositive("text_config.vocab_size", vocabSize);
            requireHeads("text_config", hiddenSize, numAttentionHeads);
            requirePositive("text_config.intermediate_size", intermediateSize);
            requirePositive("text_config.num_hidden_layers", numHiddenLayers);
            requirePositive("text_config.max_position_embeddings", maxPositionEmbeddings);
            requirePositive("text_config.projection_size", projectionSize);
            Activation.fromConfigName(hiddenAct);
        }

        /**
         * The encoder's settings: pre-norm and, unlike CLIP's text tower, not causal; SigLIP attends over every
         * position, padding included, with no mask.
         */
        public EncoderConfig encoder() {
            return new EncoderConfig("text_config", hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                    layerNormEps, Activation.fromConfigName(hiddenAct), NormPlacement.PRE_NORM, false);
        }

        /** SiglipTextConfig's defaults (the text tower of google/siglip-base-patch16-224). */
        public static TextConfig defaults() {
            return new TextConfig(32000, 768, 3072, 12, 12, 64, "gelu_pytorch_tanh", 1e-6f, 1, 768);
        }
    }

    /** The vision tower's {@code vision_config}. */
    public record VisionConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                               int numChannels, int imageSize, int patchSize, String hiddenAct, float layerNormEps) {
        public VisionConfig {
            requireHeads("vision_config", hiddenSize, numAttentionHeads);
            requirePositive("vision_config.intermediate_size", intermediateSize);
            requirePositive("vision_config.num_hidden_layers", numHiddenLayers);
            requirePositive("vision_config.num_channels", numChannels);
            requirePositive("vision_config.patch_size", patchSize);
            if (imageSize <= 0 || imageSize % patchSize != 0) {
                throw new FormatException("vision_config.image_size " + imageSize
                        + " must be a positive multiple of patch_size " + patchSize);
            }
            Activation.fromConfigName(hiddenAct);
        }

        /** The encoder's settings (pre-norm, no mask); the pooling head's MLP uses the same sizes. */
        public EncoderConfig encoder() {
            return new EncoderConfig("vision_config", hiddenSize, intermediateSize, numHiddenLayers,
                    numAttentionHeads, layerNormEps, Activation.fromConfigName(hiddenAct), NormPlacement.PRE_NORM,
                    false);
        }

        /** Patches per image, {@code (image_size / patch_size)²}: SigLIP has no class token, so also its tokens. */
        public int numPatches() {
            return (imageSize / patchSize) * (imageSize / patchSize);
        }

        /** Values per preprocessed image: channels × image_size × image_size. */
        public int pixelCount() {
            return numChannels * imageSize * imageSize;
        }

        /** SiglipVisionConfig's defaults (the vision tower of google/siglip-base-patch16-224). */
        public static VisionConfig defaults() {
            return new VisionConfig(768, 3072, 12, 12, 3, 224, 16, "gelu_pytorch_tanh", 1e-6f);
        }
    }

    public SiglipConfig {
        if (text.projectionSize() != vision.hiddenSize()) {
            throw new FormatException("text_config.projection_size " + text.projectionSize()
                    + " differs from vision_config.hidden_size " + vision.hiddenSize()
                    + ": text and image embeddings would not share one space");
        }
    }

    /** Width of the shared embedding space. */
    public int embeddingSize() {
        return vision.hiddenSize();
    }

    /** Reads {@code config.json}. */
    public static SiglipConfig load(Path configFile) {
        return ConfigFields.load(configFile, SiglipConfig::fromJson);
    }

    /**
     * The config the text of a {@code config.json} describes.
     *
     * @param source names the text in error messages (a file, a generator)
     */
    public static SiglipConfig parse(String json, String source) {
        return ConfigFields.parse(json, source, SiglipConfig::fromJson);
    }

    private static SiglipConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new FormatException("config.json must be a JSON object");
        }
        ConfigFields top = new ConfigFields("config", root);
        String modelType = top.string("model_type", MODEL_TYPE);
        if (!modelType.equals(MODEL_TYPE)) {
            throw new FormatException("model_type is \"" + modelType + "\", not \"" + MODEL_TYPE + "\"");
        }
        ConfigFields text = section(root, "text_config");
        ConfigFields vision = section(root, "vision_config");
        if (!vision.bool("vision_use_head", true)) {
            throw new FormatException("vision_config.vision_use_head is false: SigLIP's image embedding is the"
                    + " attention-pooling head's output, which this checkpoint does not have");
        }
        TextConfig t = TextConfig.defaults();
        VisionConfig v = VisionConfig.defaults();
        int textHidden = text.integer("hidden_size", t.hiddenSize());
        TextConfig textConfig = new TextConfig(
                text.integer("vocab_size", t.vocabSize()),
                textHidden,
                text.integer("intermediate_size", t.intermediateSize()),
                text.integer("num_hidden_layers", t.numHiddenLayers()),
                text.integer("num_attention_heads", t.numAttentionHeads()),
                text.integer("max_position_embeddings", t.maxPositionEmbeddings()),
                text.string("hidden_act", t.hiddenAct()),
                text.decimal("layer_norm_eps", t.layerNormEps()),
                text.integer("pad_token_id", t.padTokenId()),
                text.integer("projection_size", textHidden));
        VisionConfig visionConfig = new VisionConfig(
                vision.integer("hidden_size", v.hiddenSize()),
                vision.integer("intermediate_size", v.intermediateSize()),
                vision.integer("num_hidden_layers", v.numHiddenLayers()),
                vision.integer("num_attention_heads", v.numAttentionHeads()),
                vision.integer("num_channels", v.numChannels()),
                vision.integer("image_size", v.imageSize()),
                vision.integer("patch_size", v.patchSize()),
                vision.string("hidden_act", v.hiddenAct()),
                vision.decimal("layer_norm_eps", v.layerNormEps()));
        return new SiglipConfig(textConfig, visionConfig);
    }

    private static ConfigFields section(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return new ConfigFields(key, JSON.createObjectNode());
        }
        if (!node.isObject()) {
            throw new FormatException("'" + key + "' must be a JSON object");
        }
        return new ConfigFields(key, node);
    }
}
