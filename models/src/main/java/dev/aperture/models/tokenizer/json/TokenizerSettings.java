package dev.aperture.models.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What transformers keeps beside the tokenizer proper: special-token names (tokenizer_config.json, then
 * special_tokens_map.json), their added-token flags (added_tokens_decoder), and the context length
 * (model_max_length, capped by config.json's text max_position_embeddings), the class and backend that would load
 * the tokenizer, the padding side and lowercasing. All files are optional.
 *
 * @param bosToken          BOS text, or null
 * @param eosToken          EOS text, or null
 * @param padToken          pad text, or null
 * @param unkToken          unknown-token text, or null
 * @param addedTokens       tokenizer_config's added_tokens_decoder entries (empty when absent)
 * @param modelMaxLength    tokenizer_config model_max_length, or -1 when absent or a "no limit" sentinel
 * @param maxPositions      config.json text max_position_embeddings, or -1
 * @param tokenizerClass    tokenizer_config tokenizer_class ("SiglipTokenizer"), or null
 * @param backend           tokenizer_config backend ("sentencepiece", "tokenizers"; transformers 5), or null
 * @param paddingSide       tokenizer_config padding_side ("right", "left"), or null
 * @param doLowerCase       tokenizer_config do_lower_case, or null
 */
public record TokenizerSettings(String bosToken, String eosToken, String padToken, String unkToken,
                                List<AddedToken> addedTokens, long modelMaxLength, int maxPositions,
                                String tokenizerClass, String backend, String paddingSide, Boolean doLowerCase) {

    /** transformers writes a huge sentinel (int(1e30)) when a tokenizer has no length limit. */
    private static final long NO_LIMIT_THRESHOLD = 1_000_000L;

    /** The settings of the tokenizer in {@code modelDir}. */
    public static TokenizerSettings read(Path modelDir) {
        JsonNode config = JsonFiles.readOptionalObject(modelDir.resolve("tokenizer_config.json"));
        JsonNode specialMap = JsonFiles.readOptionalObject(modelDir.resolve("special_tokens_map.json"));
        JsonNode modelConfig = JsonFiles.readOptionalObject(modelDir.resolve("config.json"));
        long maxLength = -1;
        if (config != null && config.path("model_max_length").isNumber()) {
            double value = config.path("model_max_length").asDouble();
            maxLength = value > 0 && value < NO_LIMIT_THRESHOLD ? (long) value : -1;
        }
        int maxPositions = -1;
        if (modelConfig != null) {
            JsonNode text = modelConfig.has("text_config") ? modelConfig.path("text_config") : modelConfig;
            maxPositions = text.path("max_position_embeddings").asInt(-1);
        }
        return new TokenizerSettings(special("bos_token", config, specialMap), special("eos_token", config, specialMap),
                special("pad_token", config, specialMap), special("unk_token", config, specialMap),
                addedTokens(modelDir, config), maxLength, maxPositions, text(config, "tokenizer_class"),
                text(config, "backend"), text(config, "padding_side"),
                config != null && config.path("do_lower_case").isBoolean() ? config.path("do_lower_case").asBoolean()
                        : null);
    }

    private static String text(JsonNode config, String key) {
        return config != null && config.path(key).isTextual() ? config.path(key).asText() : null;
    }

    private static String special(String key, JsonNode config, JsonNode specialMap) {
        String fromConfig = config == null ? null : contentOf(config.get(key));
        return fromConfig != null ? fromConfig : specialMap == null ? null : contentOf(specialMap.get(key));
    }

    /** A special token is written either as its text or as an AddedToken object with "content". */
    private static String contentOf(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return node.path("content").isTextual() ? node.path("content").asText() : null;
    }

    private static List<AddedToken> addedTokens(Path modelDir, JsonNode config) {
        List<AddedToken> tokens = new ArrayList<>();
        JsonNode decoder = config == null ? null : config.get("added_tokens_decoder");
        if (decoder != null && decoder.isObject()) {
            for (Map.Entry<String, JsonNode> entry : decoder.properties()) {
                JsonNode token = entry.getValue();
                boolean validId = entry.getKey().matches("\\d{1,8}")
                        && Integer.parseInt(entry.getKey()) <= TokenizerPipeline.MAX_TOKEN_ID;
                if (!validId || !token.path("content").isTextual()) {
                    throw new FormatException(modelDir.resolve("tokenizer_config.json")
                            + ": added_tokens_decoder entry \"" + entry.getKey() + "\" needs an integer id and a content");
                }
                tokens.add(new AddedToken(Integer.parseInt(entry.getKey()), token.path("content").asText(),
                        token.path("normalized").asBoolean(true), token.path("lstrip").asBoolean(false),
                        token.path("rstrip").asBoolean(false), token.path("special").asBoolean(true)));
            }
        }
        return tokens;
    }

    /** Context length: model_max_length, capped by the position table; CLIP's 77 when neither is known. */
    public int contextLength() {
        return contextLength(77);
    }

    /** Context length: model_max_length, capped by the position table; {@code fallback} when neither is known. */
    public int contextLength(int fallback) {
        long length = modelMaxLength > 0 ? modelMaxLength : maxPositions > 0 ? maxPositions : fallback;
        if (maxPositions > 0) {
            length = Math.min(length, maxPositions);
        }
        return (int) Math.max(2, length);
    }
}
