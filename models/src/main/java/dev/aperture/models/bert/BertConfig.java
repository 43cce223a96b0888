package dev.aperture.models.bert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.tensor.TensorSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The shape of a BERT encoder, named and defaulted as Hugging Face's {@code BertConfig} ({@code config.json}).
 *
 * @param vocabSize             {@code vocab_size}: rows of the word-embedding table
 * @param hiddenSize            {@code hidden_size}: width of every token vector
 * @param numHiddenLayers       {@code num_hidden_layers}: transformer blocks
 * @param numAttentionHeads     {@code num_attention_heads}; {@code hiddenSize} must be a multiple of it
 * @param intermediateSize      {@code intermediate_size}: width of the feed-forward hidden layer
 * @param hiddenAct             {@code hidden_act}: the feed-forward activation (BERT: exact erf GELU)
 * @param maxPositionEmbeddings {@code max_position_embeddings}: longest sequence
 * @param typeVocabSize         {@code type_vocab_size}: token-type (segment) embeddings
 * @param layerNormEps          {@code layer_norm_eps}
 * @param padTokenId            {@code pad_token_id}
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, Activation hiddenAct, int maxPositionEmbeddings, int typeVocabSize,
                         float layerNormEps, int padTokenId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || numHiddenLayers <= 0 || numAttentionHeads <= 0
                || intermediateSize <= 0 || maxPositionEmbeddings <= 0 || typeVocabSize <= 0) {
            throw new FormatException("BERT config has a non-positive size: " + describe(vocabSize, hiddenSize,
                    numHiddenLayers, numAttentionHeads, intermediateSize, maxPositionEmbeddings, typeVocabSize));
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new FormatException("BERT config: hidden_size " + hiddenSize + " is not a multiple of "
                    + "num_attention_heads " + numAttentionHeads);
        }
    }

    /** Columns per attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * Reads a Hugging Face {@code config.json}; absent keys take {@code BertConfig}'s defaults (bert-base sizes,
     * gelu, 512 positions, 2 token types, eps 1e-12, pad id 0).
     */
    public static BertConfig load(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(configJson));
        } catch (NoSuchFileException e) {
            throw new InputException("Config file not found: " + configJson, e);
        } catch (JacksonException e) {
            throw new FormatException("Config file " + configJson + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException("Cannot read config file " + configJson + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException("Config file " + configJson + " does not hold a JSON object");
        }
        try {
            return new BertConfig(
                    intField(root, "vocab_size", 30522, configJson),
                    intField(root, "hidden_size", 768, configJson),
                    intField(root, "num_hidden_layers", 12, configJson),
                    intField(root, "num_attention_heads", 12, configJson),
                    intField(root, "intermediate_size", 3072, configJson),
                    Activation.fromConfigName(root.path("hidden_act").asText("gelu")),
                    intField(root, "max_position_embeddings", 512, configJson),
                    intField(root, "type_vocab_size", 2, configJson),
                    (float) root.path("layer_norm_eps").asDouble(1e-12),
                    root.path("pad_token_id").asInt(0));
        } catch (FormatException e) {
            throw new FormatException("Config file " + configJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * The config implied by the weights themselves, for files that come without a config.json (an ONNX export):
     * table and layer sizes from the tensor shapes, the head count from the caller (it leaves no trace in shapes),
     * GELU, eps 1e-12 and pad id 0 as in BERT. Names are without the {@code "bert."} prefix.
     */
    public static BertConfig fromWeights(TensorSource weights, int numAttentionHeads) {
        long[] words = shapeOf(weights, "embeddings.word_embeddings.weight", 2);
        long[] positions = shapeOf(weights, "embeddings.position_embeddings.weight", 2);
        long[] types = shapeOf(weights, "embeddings.token_type_embeddings.weight", 2);
        long[] intermediate = shapeOf(weights, "encoder.layer.0.intermediate.dense.bias", 1);
        int layers = 0;
        while (weights.contains("encoder.layer." + layers + ".output.LayerNorm.weight")) {
            layers++;
        }
        return new BertConfig((int) words[0], (int) words[1], layers, numAttentionHeads, (int) intermediate[0],
                Activation.GELU, (int) positions[0], (int) types[0], 1e-12f, 0);
    }

    private static long[] shapeOf(TensorSource weights, String name, int rank) {
        long[] shape = weights.tensor(name).shape();
        if (shape.length != rank) {
            throw new ModelMismatchException("Tensor '" + name + "' has rank " + shape.length + ", expected " + rank);
        }
        return shape;
    }

    private static int intField(JsonNode root, String key, int fallback, Path file) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt()) {
            throw new FormatException(key + " is " + node + ", not an integer (in " + file + ")");
        }
        return node.asInt();
    }

    private static String describe(int... values) {
        return Arrays.toString(values)
                + " (vocab, hidden, layers, heads, intermediate, positions, token types)";
    }
}
