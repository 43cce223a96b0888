package dev.aperture.models.loading;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.FormatException;

/**
 * Typed reads of one object of a {@code config.json} (the file, a {@code text_config}, a {@code vision_config}),
 * with the model class's default for a field that is absent or null, as transformers' config classes do. Errors name
 * the field with its section: {@code vision_config.patch_size must be an integer, was "16"}.
 *
 * @param where the section as messages name it ({@code text_config}, or {@code config} for the top level)
 */
public record ConfigFields(String where, JsonNode node) {

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
