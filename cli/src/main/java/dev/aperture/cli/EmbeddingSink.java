package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/** Where {@code aperture embed} puts each input's embedding, in input order: JSON Lines, or a {@code .npy} file. */
interface EmbeddingSink extends AutoCloseable {

    /** Records the embedding of the next input. */
    void write(InputRecord input, float[] embedding);

    @Override
    void close();

    /** The input as a JSON object: {@code {"text": ...}} or {@code {"image": ...}}. */
    static ObjectNode describe(JsonLines lines, InputRecord input) {
        ObjectNode line = lines.newObject();
        if (input.isText()) {
            line.put("text", input.text());
        } else {
            line.put("image", input.image().toString());
        }
        return line;
    }

    /** One JSON line per input with its {@code "embedding"} array. */
    static EmbeddingSink jsonLines(JsonLines lines) {
        return new EmbeddingSink() {
            @Override
            public void write(InputRecord input, float[] embedding) {
                ObjectNode line = describe(lines, input);
                ArrayNode values = line.putArray("embedding");
                for (float v : embedding) {
                    values.add(v);
                }
                lines.write(line);
            }

            @Override
            public void close() {
                lines.close();
            }
        };
    }

    /**
     * Row {@code i} of {@code npyFile} is input {@code i}'s embedding (float32), and line {@code i} of
     * {@code inputsFile} says which input that was.
     */
    static EmbeddingSink npy(Path npyFile, JsonLines inputsFile) {
        NpyFloatRowsWriter rows = new NpyFloatRowsWriter(npyFile);
        return new EmbeddingSink() {
            @Override
            public void write(InputRecord input, float[] embedding) {
                rows.write(embedding);
                inputsFile.write(describe(inputsFile, input));
            }

            @Override
            public void close() {
                try (inputsFile) {
                    rows.close();
                }
            }
        };
    }
}
