package dev.aperture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Writes one JSON object per line to the command's standard output. */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;

    JsonLines(PrintWriter out) {
        this.out = out;
    }

    ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    void write(ObjectNode line) {
        try {
            out.println(JSON.writeValueAsString(line));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
