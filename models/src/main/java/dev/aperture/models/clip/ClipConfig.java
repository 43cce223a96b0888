package dev.aperture.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.FormatException;
import dev.aperture.core.backend.Activation;
import dev.aperture.models.loading.ConfigFields;

import static dev.aperture.models.loading.ConfigFields.requireHeads;
import static dev.aperture.models.loading.ConfigFields.requirePositive;

import java.nio.file.Path;

/**
 * A CLIP model's {@code config.json}, with Hugging Face's field names and the defaults of transformers'
 * {@code CLIPConfig}, {@code CLIPTextConfig} and {@code CLIPVisionConfig} for any field the file omits.
 *
 * @param text                 the text tower
 * @param vision               the vision tower
 * @param projectionDim        {@code projection_dim}: width of the shared embedding space (both projections)
 * @param logitScaleInitValue  {@code logit_scale_init_value}: only the initial value; the weights hold the real one
 */
public record ClipConfig(TextConfig text, VisionConfig vision, int projectionDim, float logitScaleInitValue) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The text tower's {@code text_config}. */
    public record TextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                             int numAttentionHeads, int maxPositionEmbeddings, String hiddenAct, float layerNormEps,
                             int bosTokenId, int eosTokenId, int padTokenId) {
        public TextConfig {
            requirePositive("text_config.vocab_size", vocabSize);
            requireHeads("text_config", hiddenSize, numAttentionHeads);
            requirePositive("text_config.intermediate_size", intermediateSize);
            requirePositive("text_config.num_hidden_layers", numHiddenLayers);
            requirePositive("text_config.max_position_embeddings", maxPositionEmbeddings);
            Activation.fromConfigName(hiddenAct);
        }

        /** The MLP activation {@code hidden_act} names. */
        public Activation activation() {
            return Activation.fromConfigName(hiddenAct);
        }

        /** Columns per attention head. */
        public int headDim() {
            return hiddenSize / numAttentionHeads;
        }

        /** CLIPTextConfig's defaults (the text tower of openai/clip-vit-base-patch32). */
        public static TextConfig defaults() {
            return new TextConfig(49408, 512, 2048, 12, 8, 77, "quick_gelu", 1e-5f, 49406, 49407, 1);
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

        /** The MLP activation {@code hidden_act} names. */
        public Activation activation() {
            return Activation.fromConfigName(hiddenAct);
        }

        /** Columns per attention head. */
        public int headDim() {
            return hiddenSize / numAttentionHeads;
        }

        /** Patches along one side of the image. */
        public int patchesPerSide() {
            return imageSize / patchSize;
        }

        /** Patches per image: {@code (image_size / patch_size)²}. */
        public int numPatches() {
            return patchesPerSide() * patchesPerSide();
        }

        /** Tokens per image: the class token, then the patches. */
        public int numPositions() {
            return numPatches() + 1;
        }

        /** Values per preprocessed image: channels × image_size × image_size. */
        public int pixelCount() {
            return numChannels * imageSize * imageSize;
        }

        /** CLIPVisionConfig's defaults (the vision tower of openai/clip-vit-base-patch32). */
        public static VisionConfig defaults() {
            return new VisionConfig(768, 3072, 12, 12, 3, 224, 32, "quick_gelu", 1e-5f);
        }
    }

    /** Reads {@code config.json}. */
    public static ClipConfig load(Path configFile) {
        return ConfigFields.load(configFile, ClipConfig::fromJson);
    }

    /**
     * The config the text of a {@code config.json} describes.
     *
     * @param source names the text in error messages (a file, a generator)
     */
    public static ClipConfig parse(String json, String source) {
        return ConfigFields.parse(json, source, ClipConfig::fromJson);
    }

    /**
     * The config a parsed {@code config.json} describes. Legacy {@code text_config_dict}/{@code vision_config_dict}
     * override {@code text_config}/{@code vision_config} field by field, as transformers' CLIPConfig does.
     */
    static ClipConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new FormatException("config.json must be a JSON object");
        }
        ConfigFields text = new ConfigFields("text_config", merged(root, "text_config", "text_config_dict"));
        ConfigFields vision = new ConfigFields("vision_config", merged(root, "vision_config", "vision_config_dict"));
        ConfigFields top = new ConfigFields("config", root);
        TextConfig textDefaults = TextConfig.defaults();
        VisionConfig visionDefaults = VisionConfig.defaults();
        TextConfig textConfig = new TextConfig(
                text.integer("vocab_size", textDefaults.vocabSize()),
                text.integer("hidden_size", textDefaults.hiddenSize()),
                text.integer("intermediate_size", textDefaults.intermediateSize()),
                text.integer("num_hidden_layers", textDefaults.numHiddenLayers()),
                text.integer("num_attention_heads", textDefaults.numAttentionHeads()),
                text.integer("max_position_embeddings", textDefaults.maxPositionEmbeddings()),
                text.string("hidden_act", textDefaults.hiddenAct()),
                text.decimal("layer_norm_eps", textDefaults.layerNormEps()),
                text.integer("bos_token_id", textDefaults.bosTokenId()),
                text.integer("eos_token_id", textDefaults.eosTokenId()),
                text.integer("pad_token_id", textDefaults.padTokenId()));
        VisionConfig visionConfig = new VisionConfig(
                vision.integer("hidden_size", visionDefaults.hiddenSize()),
                vision.integer("intermediate_size", visionDefaults.intermediateSize()),
                vision.integer("num_hidden_layers", visionDefaults.numHiddenLayers()),
                vision.integer("num_attention_heads", visionDefaults.numAttentionHeads()),
                vision.integer("num_channels", visionDefaults.numChannels()),
                vision.integer("image_size", visionDefaults.imageSize()),
                vision.integer("patch_size", visionDefaults.patchSize()),
                vision.string("hidden_act", visionDefaults.hiddenAct()),
                vision.decimal("layer_norm_eps", visionDefaults.layerNormEps()));
        int projectionDim = top.integer("projection_dim", 512);
        requirePositive("projection_dim", projectionDim);
        return new ClipConfig(textConfig, visionConfig, projectionDim, top.decimal("logit_scale_init_value", 2.6592f));
    }

    private static JsonNode merged(JsonNode root, String key, String legacyKey) {
        ObjectNode result = JSON.createObjectNode();
        for (String name : new String[]{key, legacyKey}) {
            JsonNode node = root.get(name);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isObject()) {
                throw new FormatException("'" + name + "' must be a JSON object");
            }
            result.setAll((ObjectNode) node);
        }
        return result;
    }
}
