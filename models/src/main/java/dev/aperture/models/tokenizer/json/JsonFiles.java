package dev.aperture.models.tokenizer.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the JSON files of a tokenizer folder, turning I/O and syntax failures into typed exceptions. */
public final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {
    }

    /** The file's top-level object; FormatException when it is not valid JSON or not an object. */
    public static JsonNode readObject(Path path) {
        JsonNode root;
        try {
            try (InputStream in = Files.newInputStream(path)) {
                root = MAPPER.readTree(in);
            }
        } catch (JacksonException e) {
            throw notJson(path.toString(), e);
        } catch (NoSuchFileException e) {
            throw new InputException("missing file " + path, e);
        } catch (IOException e) {
            throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return requireObject(root, path.toString());
    }

    /** Like {@link #readObject}, or null when the file does not exist. */
    public static JsonNode readOptionalObject(Path path) {
        return Files.isRegularFile(path) ? readObject(path) : null;
    }

    /** Like {@link #readObject} on a file's text; {@code source} names it in messages. */
    public static JsonNode parseObject(String json, String source) {
        try {
            return requireObject(MAPPER.readTree(json), source);
        } catch (JacksonException e) {
            throw notJson(source, e);
        }
    }

    private static FormatException notJson(String source, JacksonException e) {
        return new FormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }

    private static JsonNode requireObject(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new FormatException(source + ": expected a JSON object at the top level");
        }
        return root;
    }
}
