package dev.aperture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one JSON object per line: to the command's standard output (flushed after each line, so a pipe sees
 * results as they come) or to a file (buffered, flushed on {@link #close()}).
 */
final class JsonLines implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final boolean ownsWriter;

    JsonLines(PrintWriter out) {
        this(out, false);
    }

    private JsonLines(PrintWriter out, boolean ownsWriter) {
        this.out = out;
        this.ownsWriter = ownsWriter;
    }

    /** Lines written to {@code file} (created or replaced), UTF-8. */
    static JsonLines toFile(Path file) {
        try {
            return new JsonLines(new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8)), true);
        } catch (IOException e) {
            throw new InputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    void write(ObjectNode line) {
        try {
            out.println(JSON.writeValueAsString(line));
            if (!ownsWriter) {
                out.flush();
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flushes; closes the file this writes to, never the command's standard output. */
    @Override
    public void close() {
        out.flush();
        if (ownsWriter) {
            out.close();
            // PrintWriter swallows write errors (a full disk); say so rather than leave a short file unnoticed.
            if (out.checkError()) {
                throw new InputException("cannot write JSON Lines output (disk full or file not writable)");
            }
        }
    }
}
