package dev.aperture.models.tokenizer;

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
final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {
    }

    /** The file's top-level object; FormatException when it is not valid JSON or not an object. */
    static JsonNode readObject(Path path) {
        JsonNode root;
        try {
            try (InputStream in = Files.newInputStream(path)) {
                root = MAPPER.readTree(in);
            }
        } catch (JacksonException e) {
            throw new FormatException(path + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new InputException("missing file " + path, e);
        } catch (IOException e) {
            throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(path + ": expected a JSON object at the top level");
        }
        return root;
    }

    /** Like {@link #readObject}, or null when the file does not exist. */
    static JsonNode readOptionalObject(Path path) {
        return Files.isRegularFile(path) ? readObject(path) : null;
    }
}
