package dev.aperture.models.loading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Typed reads of one object of a {@code config.json} (the file, a {@code text_config}, a {@code vision_config}),
 * with the model class's default for a field that is absent or null, as transformers' config classes do. Errors name
 * the field with its section: {@code vision_config.patch_size must be an integer, was "16"}.
 *
 * @param where the section as messages name it ({@code text_config}, or {@code config} for the top level)
 */
public record ConfigFields(String where, JsonNode node) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code config.json} and builds the model's config from it with {@code fromJson}.
     *
     * @throws InputException  the file is missing or unreadable
     * @throws FormatException the JSON is malformed, or {@code fromJson} refuses it (the message names the file)
     */
    public static <C> C load(Path configFile, Function<JsonNode, C> fromJson) {
        try {
            return parse(Files.readString(configFile), configFile.toString(), fromJson);
        } catch (NoSuchFileException e) {
            throw new InputException("Model config " + configFile + " does not exist", e);
        } catch (IOException e) {
            throw new InputException("Cannot read model config " + configFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The config the text of a {@code config.json} describes, built by {@code fromJson}.
     *
     * @param source names the text in error messages (a file, a generator)
     */
    public static <C> C parse(String json, String source, Function<JsonNode, C> fromJson) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new FormatException("Cannot parse model config " + source + ": " + e.getMessage(), e);
        }
        try {
            return fromJson.apply(root);
        } catch (FormatException e) {
            throw new FormatException("Invalid model config " + source + ": " + e.getMessage(), e);
        }
    }

    public int integer(String name, int fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new FormatException(where + "." + name + " must be an integer, was " + value);
        }
        return value.intValue();
    }

    public float decimal(String name, float fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new FormatException(where + "." + name + " must be a number, was " + value);
        }
        return (float) value.doubleValue();
    }

    public String string(String name, String fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new FormatException(where + "." + name + " must be a string, was " + value);
        }
        return value.textValue();
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new FormatException(where + "." + name + " must be true or false, was " + value);
        }
        return value.booleanValue();
    }

    /** Fails unless {@code value} is positive. */
    public static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new FormatException(field + " must be positive, was " + value);
        }
    }

    /** Fails unless both are positive and {@code hiddenSize} splits evenly into {@code numHeads} heads. */
    public static void requireHeads(String where, int hiddenSize, int numHeads) {
        requirePositive(where + ".hidden_size", hiddenSize);
        requirePositive(where + ".num_attention_heads", numHeads);
        if (hiddenSize % numHeads != 0) {
            throw new FormatException(where + ".hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                    + numHeads);
        }
    }
}
